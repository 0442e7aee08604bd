import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Flex, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { auditApi, usersApi } from '../../api/admin';
import type { AuditEntry } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { usePhone } from '../../components/usePhone';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  actionLabel,
  describeChanges,
  entityName,
  entityPath,
  entityTypeLabel,
} from '../../lib/audit';
import type { ChangeLine, Formatters } from '../../lib/audit';
import { isIsoDate } from '../../lib/dates';
import { useListParams } from '../../lib/listing';
import { useDateTime, useMoney } from '../../lib/shop';

function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

function Changes({ lines }: { lines: ChangeLine[] }) {
  const { t } = useTranslation();
  if (lines.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <ul className="audit-changes" data-testid="audit-changes">
      {lines.map((l) => (
        <li key={l.field} data-field={l.field}>
          {l.kind === 'changed'
            ? t('audit.changed', { field: l.label, from: l.from, to: l.to })
            : l.kind === 'had'
              ? t('audit.had', { field: l.label, from: l.from })
              : t('audit.set', { field: l.label, to: l.to })}
        </li>
      ))}
    </ul>
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const dateTime = useDateTime();
  const money = useMoney();
  const list = useListParams();
  const entityType = list.get('entity_type');
  const userId = list.getInt('user_id');
  const action = list.get('action');
  const from = list.get('date_from');
  const to = list.get('date_to');
  const dateFrom = isIsoDate(from) ? from : undefined;
  const dateTo = isIsoDate(to) ? to : undefined;
  const f: Formatters = { t, money, dateTime, locale: i18n.language };
  const phone = usePhone();

  const params = {
    page: list.page,
    per_page: list.perPage,
    entity_type: entityType,
    user_id: userId,
    action,
    date_from: dateFrom,
    date_to: dateTo,
  };
  const query = useQuery({
    queryKey: ['audit', params],
    queryFn: ({ signal }) => auditApi.list(params, signal),
    placeholderData: keepPreviousData,
  });
  const users = useQuery({
    queryKey: ['users', { per_page: 200, sort: 'username' }],
    queryFn: ({ signal }) => usersApi.list({ per_page: 200, sort: 'username' }, signal),
  });

  // The action filter offers every action the server writes, and keeps one from the URL it does not know.
  const actionOptions = AUDIT_ACTIONS.map((a) => ({ value: a as string, label: actionLabel(a, t) }));
  if (action && !actionOptions.some((o) => o.value === action)) actionOptions.push({ value: action, label: action });

  const actionTag = (e: AuditEntry) => (
    <Tag title={e.action} data-action={e.action}>
      {actionLabel(e.action, t)}
    </Tag>
  );
  const entity = (e: AuditEntry) => {
    const name = entityName(e);
    const path = entityPath(e);
    return (
      <span data-testid="audit-entity">
        {entityTypeLabel(e.entity_type, t)}
        {name && ' '}
        {name && (path ? <Link to={path}>{name}</Link> : name)}
      </span>
    );
  };
  const columns: TableColumnsType<AuditEntry> = [
    {
      // On a phone one column tells the whole entry, so nothing needs sideways scrolling.
      title: t('audit.entry'),
      key: 'summary',
      responsive: ['xs'],
      render: (_v, e) => (
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">
            {dateTime(e.at)} · {e.username ?? '—'}
          </Typography.Text>
          <Flex gap={4} wrap align="center">
            {actionTag(e)}
            {entity(e)}
          </Flex>
          <Changes lines={describeChanges(e, f)} />
        </Flex>
      ),
    },
    {
      title: t('common.time'),
      dataIndex: 'at',
      key: 'at',
      responsive: ['sm'],
      render: (_v, e) => <span className="nowrap">{dateTime(e.at)}</span>,
    },
    {
      title: t('common.user'),
      dataIndex: 'username',
      key: 'user',
      responsive: ['sm'],
      render: (_v, e) => e.username ?? '—',
    },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', responsive: ['sm'], render: (_v, e) => actionTag(e) },
    { title: t('audit.entity'), key: 'entity', responsive: ['sm'], render: (_v, e) => entity(e) },
    {
      title: t('audit.changes'),
      key: 'changes',
      responsive: ['sm'],
      render: (_v, e) => <Changes lines={describeChanges(e, f)} />,
    },
    { title: 'IP', dataIndex: 'ip', key: 'ip', responsive: ['md'], render: (_v, e) => e.ip ?? '' },
  ];

  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <Flex gap={8} wrap className="toolbar">
        <Select<string>
          allowClear
          placeholder={t('audit.allEntities')}
          value={entityType}
          onChange={(v) => list.set({ entity_type: v })}
          options={[...AUDIT_ENTITY_TYPES, 'auth'].map((e) => ({ value: e, label: entityTypeLabel(e, t) }))}
          style={{ width: 150 }}
          aria-label={t('audit.entity')}
          data-testid="audit-entity-filter"
        />
        <Select<number>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.allUsers')}
          value={userId}
          loading={users.isPending}
          onChange={(v) => list.set({ user_id: v })}
          options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.username }))}
          style={{ width: 160 }}
          aria-label={t('common.user')}
        />
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.actionPlaceholder')}
          value={action}
          onChange={(v) => list.set({ action: v })}
          options={actionOptions}
          style={{ width: 200 }}
          aria-label={t('audit.action')}
          data-testid="audit-action-filter"
        />
        <DatePicker.RangePicker
          value={[dateFrom ? dayjs(dateFrom) : null, dateTo ? dayjs(dateTo) : null]}
          allowEmpty={[true, true]}
          onChange={(range) =>
            list.set({ date_from: range?.[0]?.format('YYYY-MM-DD'), date_to: range?.[1]?.format('YYYY-MM-DD') })
          }
          aria-label={t('common.dateRange')}
        />
      </Flex>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={phone ? undefined : { x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="audit-table"
        expandable={{
          // The raw JSON is for wide screens; a phone shows the changes in words only.
          rowExpandable: (e) => !phone && Boolean(e.before || e.after),
          showExpandColumn: !phone,
          expandedRowRender: (e) => (
            <>
              <Typography.Text type="secondary">{t('audit.rawData')}</Typography.Text>
              <Flex gap={16} wrap>
                {e.before && (
                  <div>
                    <strong>{t('audit.before')}</strong>
                    <Json value={e.before} />
                  </div>
                )}
                {e.after && (
                  <div>
                    <strong>{t('audit.after')}</strong>
                    <Json value={e.after} />
                  </div>
                )}
              </Flex>
            </>
          ),
        }}
        {...serverTableProps(list, query.data?.total, t)}
      />
    </>
  );
}
