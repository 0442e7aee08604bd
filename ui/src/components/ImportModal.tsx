import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex, Modal, Progress, Spin, Table, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { importsApi } from '../api/transfer';
import type { ImportJob, ImportKind, ImportProblem } from '../api/types';
import { describeError, translateValidation } from '../lib/errors';
import { alreadyImported, importProblems, importProgress, previousImport, runImport } from '../lib/imports';
import { useDateTime } from '../lib/shop';
import { ErrorAlert } from './States';

/** The fields an import's columns stand for, to name them as the forms do. */
const COLUMN_LABELS = {
  products: {
    sku: 'products.sku',
    name: 'products.name',
    price: 'products.price',
    stock_quantity: 'products.stock',
    low_stock_threshold: 'products.lowStockThreshold',
    status: 'common.status',
    description: 'products.description',
  },
  customers: {
    name: 'customers.name',
    phone: 'customers.phone',
    email: 'customers.email',
    address: 'customers.address',
    note: 'common.note',
  },
} as const;

type ColumnLabel =
  | (typeof COLUMN_LABELS)['products'][keyof (typeof COLUMN_LABELS)['products']]
  | (typeof COLUMN_LABELS)['customers'][keyof (typeof COLUMN_LABELS)['customers']];

type Outcome =
  | { step: 'checked'; job: ImportJob; earlier?: ImportJob }
  | { step: 'done'; job: ImportJob }
  | { step: 'failed'; error: unknown };

function Counts({ job, i18nKey }: { job: ImportJob; i18nKey: 'transfer.checkedBody' | 'transfer.doneBody' }) {
  const { t } = useTranslation();
  return (
    <>
      {t(i18nKey, {
        rows: job.rows ?? job.rows_checked,
        created: job.created,
        updated: job.updated,
        unchanged: job.unchanged,
      })}
    </>
  );
}

/** An earlier import of the same file: when, and what it did. */
function AlreadyImported({ job }: { job: ImportJob | null }) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="import-already"
      title={t('transfer.alreadyTitle')}
      description={
        job && job.status === 'done'
          ? t('transfer.alreadyBody', {
              time: dateTime(job.finished_at ?? job.created_at),
              id: job.id,
              created: job.created,
              updated: job.updated,
              unchanged: job.unchanged,
            })
          : t('transfer.alreadyRunning')
      }
    />
  );
}

function Problems({ kind, error }: { kind: ImportKind; error: unknown }) {
  const { t } = useTranslation();
  const found = importProblems(error);
  if (!found) return null;
  const labels: Partial<Record<string, ColumnLabel>> = COLUMN_LABELS[kind];
  const columns: TableColumnsType<ImportProblem> = [
    { title: t('transfer.line'), key: 'line', width: 64, render: (_v, p) => (p.line > 0 ? p.line : '—') },
    {
      title: t('transfer.column'),
      key: 'column',
      render: (_v, p) => {
        if (!p.column) return '—';
        const key = labels[p.column];
        return key ? (
          <>
            {t(key)} <Typography.Text type="secondary" code>{p.column}</Typography.Text>
          </>
        ) : (
          <Typography.Text code>{p.column}</Typography.Text>
        );
      },
    },
    {
      title: t('transfer.value'),
      key: 'value',
      render: (_v, p) => (p.value ? <Typography.Text code>{p.value}</Typography.Text> : '—'),
    },
    { title: t('transfer.problem'), key: 'problem', render: (_v, p) => translateValidation(p.message, t) },
  ];
  return (
    <>
      <Alert
        type="error"
        showIcon
        role="alert"
        title={describeError(error, t)}
        description={
          <>
            {t('transfer.problemsHint')}
            {found.count > found.problems.length && <> {t('transfer.problemsListed', { n: found.problems.length })}</>}
          </>
        }
      />
      <Table<ImportProblem>
        rowKey={(p) => `${p.line}-${p.column ?? ''}-${p.message}`}
        size="small"
        className="section-top"
        columns={columns}
        dataSource={found.problems}
        pagination={found.problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        data-testid="import-problems"
      />
    </>
  );
}

function Failure({ kind, error }: { kind: ImportKind; error: unknown }) {
  const { t } = useTranslation();
  if (importProblems(error)) return <Problems kind={kind} error={error} />;
  const earlier = alreadyImported(error);
  if (earlier !== undefined) return <AlreadyImported job={earlier} />;
  if (error instanceof ApiError && error.code === 'bad_encoding') {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="import-encoding"
        title={t('transfer.encodingTitle')}
        description={t('errors.bad_encoding')}
      />
    );
  }
  return <ErrorAlert error={error} />;
}

/**
 * Imports a CSV file: first a dry run that checks every row and writes nothing, with its
 * report; then, when the user confirms, the import itself (all rows, or none). Big files run
 * as a job on the server, whose progress is shown while it runs.
 */
export function ImportModal({ kind, onClose }: { kind: ImportKind; onClose: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [progress, setProgress] = useState<ImportJob | null>(null);
  const abort = useRef<AbortController | null>(null);

  // Closing the dialog stops following the job (the server finishes it regardless).
  useEffect(() => () => abort.current?.abort(), []);

  const run = useMutation({
    mutationFn: async ({ f, dryRun }: { f: File; dryRun: boolean }): Promise<Outcome> => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setProgress(null);
      const job = await runImport(kind, f, dryRun, setProgress, controller.signal);
      if (!dryRun) return { step: 'done', job };
      // A dry run is never refused for a file imported before: look for that import.
      const recent = await importsApi.recent(controller.signal).catch(() => []);
      return { step: 'checked', job, earlier: previousImport(recent, job) };
    },
    onMutate: () => setOutcome(null),
    onSuccess: setOutcome,
    onError: (error) => {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setOutcome({ step: 'failed', error });
    },
  });

  const choose = (f: File) => {
    setFile(f);
    run.mutate({ f, dryRun: true });
  };
  const running = run.isPending;
  const dryRun = run.variables?.dryRun ?? true;
  const canImport = !running && file !== null && outcome?.step === 'checked' && !outcome.earlier;
  const shown = progress ? importProgress(progress) : null;

  const picker = (
    <Upload
      accept=".csv,text/csv"
      showUploadList={false}
      beforeUpload={(f) => {
        choose(f);
        return Upload.LIST_IGNORE;
      }}
      disabled={running}
    >
      <Button icon={<UploadOutlined />} disabled={running}>
        {t('transfer.chooseAnother')}
      </Button>
    </Upload>
  );

  return (
    <Modal
      open
      title={t(`transfer.importTitle.${kind}`)}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      footer={
        <Flex justify="space-between" gap={8} wrap>
          {file && outcome ? picker : <span />}
          <Flex gap={8}>
            <Button onClick={onClose}>{outcome?.step === 'done' ? t('common.close') : t('common.cancel')}</Button>
            {outcome?.step !== 'done' && (
              <Button
                type="primary"
                disabled={!canImport}
                loading={running && !dryRun}
                onClick={() => file && run.mutate({ f: file, dryRun: false })}
                data-testid="import-confirm"
              >
                {t('transfer.importNow')}
              </Button>
            )}
          </Flex>
        </Flex>
      }
    >
      <Typography.Paragraph>{t('transfer.intro')}</Typography.Paragraph>
      <Typography.Paragraph strong>{t('transfer.allOrNothing')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary" className="hint">
        {t(`transfer.columns.${kind}`)}
      </Typography.Paragraph>

      {!file && (
        <Upload.Dragger
          accept=".csv,text/csv"
          showUploadList={false}
          beforeUpload={(f) => {
            choose(f);
            return Upload.LIST_IGNORE;
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('transfer.chooseFile')}</p>
          <p className="ant-upload-hint">{t('transfer.chooseHint')}</p>
        </Upload.Dragger>
      )}

      <div aria-live="polite" data-testid="import-result">
        {running && file && (
          <Flex vertical gap={8} className="section-top" data-testid="import-running">
            <Flex gap={8} align="center">
              <Spin size="small" />
              <Typography.Text>
                {t(dryRun ? 'transfer.checking' : 'transfer.importing', { name: file.name })}
              </Typography.Text>
            </Flex>
            {shown && (
              <>
                {shown.percent !== null && <Progress percent={shown.percent} size="small" />}
                <Typography.Text type="secondary" className="hint">
                  {shown.phase === 'writing' && shown.total !== null
                    ? t('transfer.writtenRows', { done: shown.done, total: shown.total })
                    : t('transfer.checkedRows', { n: shown.done })}
                </Typography.Text>
              </>
            )}
          </Flex>
        )}
        {!running && outcome?.step === 'checked' && file && (
          <div className="section-top">
            {outcome.earlier ? (
              <AlreadyImported job={outcome.earlier} />
            ) : (
              <Alert
                type="success"
                showIcon
                data-testid="import-checked"
                title={t('transfer.checkedTitle', { name: file.name })}
                description={<Counts job={outcome.job} i18nKey="transfer.checkedBody" />}
              />
            )}
          </div>
        )}
        {!running && outcome?.step === 'done' && file && (
          <Alert
            type="success"
            showIcon
            className="section-top"
            data-testid="import-done"
            title={t('transfer.doneTitle', { name: file.name })}
            description={<Counts job={outcome.job} i18nKey="transfer.doneBody" />}
          />
        )}
        {!running && outcome?.step === 'failed' && (
          <div className="section-top" data-testid="import-failed">
            <Failure kind={kind} error={outcome.error} />
          </div>
        )}
      </div>
    </Modal>
  );
}
