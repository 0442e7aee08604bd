import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Grid, Popconfirm, Spin, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { backupDownloadUrl, backupsApi } from '../../api/backups';
import type { BackupInfo, BackupList } from '../../api/types';
import { EmptyState, ErrorAlert } from '../../components/States';
import {
  backupErrorText,
  backupTime,
  describeBackupError,
  formatLocalDateTime,
  formatMegabytes,
  lastAttemptFailed,
  reasonKey,
  verificationOf,
} from '../../lib/backups';

export const BACKUPS_KEY = ['backups'] as const;

// The confirmation closes either way; the outcome is shown by the mutation's message.
const ignore = () => undefined;

const VERIFICATION_COLORS = { ok: 'green', unverified: 'default', failed: 'red' } as const;
const REASON_COLORS: Record<string, string> = { manual: 'blue', scheduled: 'cyan', preMigrate: 'purple', preRestore: 'orange' };

/** The backups of the database: how the latest attempts went, the files, and "Back up now". */
export function BackupsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: ({ signal }) => backupsApi.list(signal),
    refetchInterval: 60_000,
  });
  // A failed attempt is recorded in the status: show it (successes refresh every view anyway).
  const refreshAfterFailure = () => void queryClient.invalidateQueries({ queryKey: BACKUPS_KEY });
  const create = useMutation({
    mutationFn: () => backupsApi.create(),
    onSuccess: (info) => void message.success(t('backups.created', { name: info.name })),
    onError: (err) => {
      void message.error(describeBackupError(err, t));
      refreshAfterFailure();
    },
  });
  const remove = useMutation({
    mutationFn: (name: string) => backupsApi.remove(name),
    onSuccess: () => void message.success(t('backups.deleted')),
    onError: (err) => {
      void message.error(describeBackupError(err, t));
      refreshAfterFailure();
    },
  });

  return (
    <Card
      title={t('system.backups')}
      className="section"
      data-testid="backups"
      extra={
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          loading={create.isPending}
          onClick={() => create.mutate()}
          data-testid="backup-now"
        >
          {t('backups.backupNow')}
        </Button>
      }
    >
      {query.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : query.data === undefined ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          {query.isError && (
            <div className="toolbar">
              <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
            </div>
          )}
          <BackupsView
            list={query.data}
            loading={query.isFetching}
            onDelete={(name) => remove.mutateAsync(name).then(ignore, ignore)}
          />
        </>
      )}
    </Card>
  );
}

function BackupsView({
  list,
  loading,
  onDelete,
}: {
  list: BackupList;
  loading: boolean;
  onDelete: (name: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  // On a phone (< 576 px) one column sums a backup up, so the table needs no sideways scroll.
  const phone = Grid.useBreakpoint().sm === false;
  const { status } = list;
  const failed = lastAttemptFailed(status);
  const time = (iso: string | null | undefined) => formatLocalDateTime(iso, locale);

  const size = (b: BackupInfo) => (
    <span className="nowrap" title={t('backups.bytes', { n: b.size_bytes.toLocaleString(locale) })}>
      {formatMegabytes(b.size_bytes, locale)}
    </span>
  );
  const reason = (b: BackupInfo) => {
    const key = reasonKey(b.reason);
    return <Tag color={key ? REASON_COLORS[key] : undefined}>{key ? t(`backups.reason.${key}`) : b.reason}</Tag>;
  };
  const verification = (b: BackupInfo) => {
    const v = verificationOf(b.verification);
    const text = v === 'ok' ? t('backups.verified') : v === 'unverified' ? t('backups.unverified') : b.verification;
    return (
      <Tag color={VERIFICATION_COLORS[v]} data-verification={b.verification}>
        {text}
      </Tag>
    );
  };

  const columns: TableColumnsType<BackupInfo> = [
    {
      title: t('backups.time'),
      key: 'summary',
      responsive: ['xs'],
      render: (_v, b) => (
        <Flex vertical gap={4}>
          <span>{time(backupTime(b))}</span>
          <Flex gap={4} wrap align="center">
            {size(b)}
            {reason(b)}
            {verification(b)}
          </Flex>
          <code className="backup-name backup-name-narrow">{b.name}</code>
        </Flex>
      ),
    },
    {
      title: t('backups.name'),
      dataIndex: 'name',
      key: 'name',
      responsive: ['sm'],
      render: (_v, b) => <code className="backup-name">{b.name}</code>,
    },
    {
      title: t('backups.time'),
      key: 'time',
      responsive: ['sm'],
      render: (_v, b) => <span className="nowrap">{time(backupTime(b))}</span>,
    },
    {
      title: t('backups.size'),
      dataIndex: 'size_bytes',
      key: 'size',
      align: 'right',
      responsive: ['sm'],
      render: (_v, b) => size(b),
    },
    {
      title: t('backups.reasonLabel'),
      dataIndex: 'reason',
      key: 'reason',
      responsive: ['sm'],
      render: (_v, b) => reason(b),
    },
    {
      title: t('backups.schema'),
      dataIndex: 'schema_version',
      key: 'schema',
      align: 'right',
      responsive: ['md'],
      render: (_v, b) => (b.schema_version > 0 ? b.schema_version : '—'),
    },
    {
      title: t('backups.verification'),
      dataIndex: 'verification',
      key: 'verification',
      responsive: ['sm'],
      render: (_v, b) => verification(b),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, b) => (
        <Flex vertical={phone} align={phone ? 'flex-start' : 'center'}>
          <Button
            type="link"
            size="small"
            icon={<DownloadOutlined />}
            href={backupDownloadUrl(b.name)}
            download={b.name}
            aria-label={t('backups.downloadName', { name: b.name })}
            data-testid="backup-download"
          >
            {t('backups.download')}
          </Button>
          <Popconfirm
            title={t('backups.deleteConfirm', { name: b.name })}
            description={t('backups.deleteHint')}
            okText={t('backups.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => onDelete(b.name)}
          >
            <Button
              type="link"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('backups.deleteName', { name: b.name })}
              data-testid="backup-delete"
            >
              {t('backups.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <>
      {list.problem && (
        <Alert
          className="toolbar"
          type="error"
          showIcon
          role="alert"
          title={t('backups.problemTitle')}
          description={list.problem}
          data-testid="backup-problem"
        />
      )}
      {failed && (
        <Alert
          className="toolbar"
          type="error"
          showIcon
          role="alert"
          title={t('backups.lastFailedTitle', { time: time(status.last_failure_at) })}
          description={status.last_error ? backupErrorText(status.last_error, t) : undefined}
          data-testid="backup-failure"
        />
      )}
      <Descriptions
        className="toolbar"
        column={{ xs: 1, md: 2 }}
        size="small"
        items={[
          {
            key: 'success',
            label: t('backups.lastSuccess'),
            children: status.last_success_at ? (
              <span data-testid="backup-last-success">
                {t('backups.successDetail', {
                  time: time(status.last_success_at),
                  size: formatMegabytes(status.last_success_bytes, locale),
                })}
                {status.last_success_name && (
                  <>
                    <br />
                    <code className="backup-name">{status.last_success_name}</code>
                  </>
                )}
              </span>
            ) : (
              t('backups.never')
            ),
          },
          {
            key: 'failure',
            label: t('backups.lastFailure'),
            children: status.last_failure_at ? (
              <Typography.Text type={failed ? 'danger' : undefined}>{time(status.last_failure_at)}</Typography.Text>
            ) : (
              t('backups.none')
            ),
          },
          {
            key: 'dir',
            label: t('backups.directory'),
            children: <code className="backup-name">{list.directory}</code>,
          },
        ]}
      />
      <Table<BackupInfo>
        rowKey="name"
        size={phone ? 'small' : 'middle'}
        columns={columns}
        dataSource={list.items}
        loading={loading}
        // Wide enough for every column; wider screens let long names and headers wrap.
        scroll={{ x: phone ? 'max-content' : 760 }}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (n) => t('common.total', { count: n }) }}
        // No "take the first one" hint when the directory could not even be read.
        locale={{ emptyText: <EmptyState description={list.problem ? undefined : t('backups.empty')} /> }}
        data-testid="backup-table"
      />
    </>
  );
}
