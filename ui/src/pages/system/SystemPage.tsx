import { useQuery } from '@tanstack/react-query';
import { Card, Col, Collapse, Descriptions, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { systemApi } from '../../api/admin';
import type { SystemInfo } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/States';
import { formatMegabytes } from '../../lib/backups';
import { splitDuration } from '../../lib/format';
import { BackupsCard } from './BackupsCard';

export default function SystemPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['system'], queryFn: ({ signal }) => systemApi.get(signal), refetchInterval: 30_000 });
  return (
    <>
      <PageHeader title={t('nav.system')} />
      <QueryView query={query}>{(s) => <SystemView info={s} />}</QueryView>
      <BackupsCard />
    </>
  );
}

/**
 * The facts an owner asks about — is it running, which version, since when, how big, how many
 * accounts — with the developer's ones (WAL, writer, schema, data directory) folded away.
 * Sizes are in decimal megabytes (1 MB = 1,000,000 bytes) everywhere on the page, backups too.
 */
function SystemView({ info }: { info: SystemInfo }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const up = splitDuration(info.uptime_seconds);
  const healthy = info.health === 'ok';
  const size = (bytes: number) => (
    <span title={t('backups.bytes', { n: bytes.toLocaleString(locale) })}>{formatMegabytes(bytes, locale)}</span>
  );
  const db = info.database;
  const number = (n: number) => n.toLocaleString(locale);
  return (
    <>
      <Row gutter={[16, 16]} className="section">
        <Col xs={24} sm={12} lg={8} xl={{ flex: '20%' }}>
          <Card className="tile" data-testid="system-health" data-health={info.health}>
            <Statistic
              title={t('system.health')}
              value={healthy ? t('system.runningNormally') : t('system.problem')}
              styles={{ content: { color: healthy ? '#389e0d' : '#cf1322', fontSize: 22 } }}
            />
            {!healthy && (
              <Typography.Text type="danger" className="hint" data-testid="system-problem">
                {info.health}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={12} sm={12} lg={8} xl={{ flex: '20%' }}>
          <Card className="tile" data-testid="system-version">
            <Statistic title={t('system.version')} value={info.version} />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={8} xl={{ flex: '20%' }}>
          <Card className="tile" data-testid="system-uptime">
            <Statistic
              title={t('system.uptime')}
              value={up.d > 0 ? t('system.duration', up) : t('system.durationShort', up)}
            />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={12} xl={{ flex: '20%' }}>
          <Card className="tile" data-testid="system-db-size">
            <Statistic title={t('system.dbSize')} valueRender={() => size(db.size_bytes)} />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={12} xl={{ flex: '20%' }}>
          <Link to="/users" className="tile-link">
            <Card hoverable className="tile" data-testid="system-users">
              <Statistic title={t('system.accounts')} value={info.users} />
            </Card>
          </Link>
        </Col>
      </Row>
      <Collapse
        className="section"
        data-testid="system-details"
        items={[
          {
            key: 'details',
            label: t('system.details'),
            children: (
              <Descriptions
                column={{ xs: 1, md: 2 }}
                size="small"
                items={[
                  { key: 'size', label: t('system.dbSize'), children: size(db.size_bytes) },
                  { key: 'wal', label: t('system.walSize'), children: size(db.wal_bytes) },
                  { key: 'schema', label: t('system.schema'), children: db.schema_version },
                  {
                    key: 'writes',
                    label: t('system.writes'),
                    children: t('system.writesDetail', {
                      requests: number(db.write_requests),
                      transactions: number(db.write_transactions),
                    }),
                  },
                  { key: 'queue', label: t('system.writeQueue'), children: number(db.write_queue) },
                  { key: 'health', label: t('system.healthRaw'), children: <code>{info.health}</code> },
                  { key: 'dir', label: t('system.dataDir'), children: <code className="backup-name">{info.data_dir}</code> },
                ]}
              />
            ),
          },
        ]}
      />
    </>
  );
}
