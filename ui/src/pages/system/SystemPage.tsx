import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Statistic, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { systemApi } from '../../api/admin';
import type { SystemInfo } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/States';
import { formatBytes, splitDuration } from '../../lib/format';
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

function SystemView({ info }: { info: SystemInfo }) {
  const { t } = useTranslation();
  const up = splitDuration(info.uptime_seconds);
  const healthy = info.health === 'ok';
  return (
    <>
      <Row gutter={[16, 16]} className="section">
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('system.health')}
              value={healthy ? t('system.ok') : info.health}
              styles={{ content: { color: healthy ? '#389e0d' : '#cf1322' } }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('system.version')} value={info.version} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('system.uptime')} value={t('system.duration', up)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('system.dbSize')} value={formatBytes(info.database.size_bytes)} />
          </Card>
        </Col>
      </Row>
      <Card title={t('system.database')} className="section">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'size', label: t('system.dbSize'), children: formatBytes(info.database.size_bytes) },
            { key: 'wal', label: t('system.walSize'), children: formatBytes(info.database.wal_bytes) },
            ...(info.database.schema_version !== undefined
              ? [{ key: 'schema', label: t('system.schema'), children: info.database.schema_version }]
              : []),
            ...(info.database.write_requests !== undefined
              ? [{ key: 'writes', label: t('system.writes'), children: info.database.write_requests }]
              : []),
            ...(info.data_dir ? [{ key: 'dir', label: t('system.dataDir'), children: <code>{info.data_dir}</code> }] : []),
            { key: 'health', label: t('system.health'), children: <Tag color={healthy ? 'green' : 'red'}>{info.health}</Tag> },
          ]}
        />
      </Card>
    </>
  );
}
