import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Flex, Grid, Modal, Popconfirm, Spin, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { backupDownloadUrl, backupsApi } from '../../api/backups';
import type { BackupInfo, BackupList, RestoreReport } from '../../api/types';
import { EmptyState, ErrorAlert } from '../../components/States';
import {
  backupErrorText,
  backupTime,
  describeBackupError,
  describeRestoreError,
  formatLocalDateTime,
  formatMegabytes,
  lastAttemptFailed,
  reasonKey,
  verificationOf,
} from '../../lib/backups';
import { useSettings } from '../../lib/shop';

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
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
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
            // The server says whether this viewer may restore (today: the superAdmin only).
            onRestore={query.data.can_restore ? setRestoring : undefined}
          />
          {restoring && <RestoreModal backup={restoring} onClose={() => setRestoring(null)} />}
        </>
      )}
    </Card>
  );
}

/**
 * A time in the shop's time zone, to the second: an RFC 3339 time, or a backup's (its record's,
 * or for a file without one, its name's stamp, which the server writes in the shop's time).
 */
function useBackupTime(): (when: string | null | undefined | Pick<BackupInfo, 'name' | 'created_at'>) => string {
  const { i18n } = useTranslation();
  const timeZone = useSettings().data?.time_zone;
  return (when) =>
    formatLocalDateTime(typeof when === 'object' && when ? backupTime(when, timeZone) : when, i18n.language, timeZone);
}

function BackupsView({
  list,
  loading,
  onDelete,
  onRestore,
}: {
  list: BackupList;
  loading: boolean;
  onDelete: (name: string) => Promise<void>;
  /** Offered to the superAdmin only. */
  onRestore?: (backup: BackupInfo) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  // On a phone (< 576 px) one column sums a backup up, so the table needs no sideways scroll.
  const phone = Grid.useBreakpoint().sm === false;
  const { status } = list;
  const failed = lastAttemptFailed(status);
  const time = useBackupTime();

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
          <span>{time(b)}</span>
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
      render: (_v, b) => <span className="nowrap">{time(b)}</span>,
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
          {onRestore && (
            <Button
              type="link"
              size="small"
              icon={<HistoryOutlined />}
              onClick={() => onRestore(b)}
              aria-label={t('backups.restoreName', { name: b.name })}
              data-testid="backup-restore"
            >
              {t('backups.restore')}
            </Button>
          )}
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

/**
 * Restoring a backup, in two steps: a confirmation that names the file and its time and says
 * what is replaced (ticked before the button works), then the server's report.
 */
function RestoreModal({ backup, onClose }: { backup: BackupInfo; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const time = useBackupTime();
  const [understood, setUnderstood] = useState(false);
  const restore = useMutation({
    mutationFn: () => backupsApi.restore(backup.name),
    // Every view may show another day's data now, the signed-in user included.
    onSuccess: () => void client.invalidateQueries(),
  });
  const when = time(backup);

  if (restore.data) return <RestoreReportModal report={restore.data} onClose={onClose} />;
  const running = restore.isPending;
  return (
    <Modal
      open
      title={t('backups.restoreTitle')}
      okText={t('backups.restoreNow')}
      okButtonProps={{ danger: true, disabled: !understood }}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ disabled: running }}
      onOk={() => restore.mutate()}
      onCancel={() => {
        if (!running) onClose();
      }}
      confirmLoading={running}
      closable={!running}
      mask={{ closable: false }}
      data-testid="restore-dialog"
    >
      {restore.isError && (
        <Alert className="toolbar" type="error" showIcon role="alert" title={describeRestoreError(restore.error, t)} />
      )}
      <Descriptions
        className="toolbar"
        column={1}
        size="small"
        items={[
          { key: 'name', label: t('backups.name'), children: <code className="backup-name">{backup.name}</code> },
          { key: 'time', label: t('backups.time'), children: <span data-testid="restore-time">{when}</span> },
        ]}
      />
      <Alert
        className="toolbar"
        type="warning"
        showIcon
        title={t('backups.restoreReplaces', { time: when })}
        description={t('backups.restoreKeeps')}
      />
      <Typography.Paragraph type="secondary">{t('backups.restorePause')}</Typography.Paragraph>
      <Checkbox checked={understood} disabled={running} onChange={(e) => setUnderstood(e.target.checked)} data-testid="restore-understood">
        {t('backups.restoreUnderstood', { time: when })}
      </Checkbox>
    </Modal>
  );
}

function RestoreReportModal({ report, onClose }: { report: RestoreReport; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('backups.restoredTitle')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <Descriptions
        column={1}
        size="small"
        data-testid="restore-report"
        items={[
          {
            key: 'from',
            label: t('backups.restoredFrom'),
            children: <code className="backup-name">{report.restored_from}</code>,
          },
          { key: 'schema', label: t('backups.schema'), children: report.backup_schema_version },
          {
            key: 'migrated',
            label: t('backups.migrated'),
            children: report.migrated.length
              ? report.migrated.map((v) => `V${v}`).join(', ')
              : t('backups.migratedNone'),
          },
          {
            key: 'kept',
            label: t('backups.preRestoreBackup'),
            children: report.pre_restore_backup ? (
              <code className="backup-name" data-testid="restore-kept">
                {report.pre_restore_backup}
              </code>
            ) : (
              t('backups.preRestoreNone')
            ),
          },
        ]}
      />
    </Modal>
  );
}
