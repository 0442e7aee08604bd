import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Flex, Input, Select, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { auditApi, usersApi } from '../../api/admin';
import type { AuditEntry } from '../../api/types';
import { AUDIT_ENTITY_TYPES } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { serverTableProps } from '../../components/serverTable';
import { EmptyState, ErrorAlert } from '../../components/States';
import { isIsoDate } from '../../lib/dates';
import { useListParams } from '../../lib/listing';
import { useDateTime } from '../../lib/shop';

function Json({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const list = useListParams();
  const entityType = list.get('entity_type');
  const userId = list.getInt('user_id');
  const action = list.get('action');
  const from = list.get('date_from');
  const to = list.get('date_to');
  const dateFrom = isIsoDate(from) ? from : undefined;
  const dateTo = isIsoDate(to) ? to : undefined;

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

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('common.time'), dataIndex: 'at', key: 'at', render: (_v, e) => dateTime(e.at) },
    { title: t('common.user'), dataIndex: 'username', key: 'user', render: (_v, e) => e.username ?? '—' },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (_v, e) => <Tag>{e.action}</Tag> },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_v, e) => `${t(`audit.entityType.${e.entity_type}`, { defaultValue: e.entity_type })}${e.entity_id ? ` #${e.entity_id}` : ''}`,
    },
    { title: 'IP', dataIndex: 'ip', key: 'ip', responsive: ['md'], render: (_v, e) => e.ip ?? '' },
  ];

  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <Flex gap={8} wrap className="toolbar">
        <Select<string>
          allowClear
          placeholder={t('audit.entity')}
          value={entityType}
          onChange={(v) => list.set({ entity_type: v })}
          options={AUDIT_ENTITY_TYPES.map((e) => ({ value: e, label: t(`audit.entityType.${e}`) }))}
          style={{ width: 140 }}
          aria-label={t('audit.entity')}
        />
        <Select<number>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('common.user')}
          value={userId}
          loading={users.isPending}
          onChange={(v) => list.set({ user_id: v })}
          options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.username }))}
          style={{ width: 160 }}
          aria-label={t('common.user')}
        />
        <Input.Search
          allowClear
          defaultValue={action}
          placeholder={t('audit.actionPlaceholder')}
          onSearch={(v) => list.set({ action: v.trim() })}
          style={{ maxWidth: 220 }}
          aria-label={t('audit.action')}
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
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyState /> }}
        expandable={{
          rowExpandable: (e) => Boolean(e.before || e.after),
          expandedRowRender: (e) => (
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
          ),
        }}
        {...serverTableProps(list, query.data?.total, t)}
      />
    </>
  );
}
