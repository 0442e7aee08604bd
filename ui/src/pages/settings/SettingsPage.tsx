import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsApi } from '../../api/admin';
import type { Settings } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryView } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { useSettings } from '../../lib/shop';

const FIELDS = [
  'business_name',
  'currency_code',
  'currency_symbol',
  'time_zone',
  'order_number_prefix',
  'default_low_stock_threshold',
] as const;

function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const query = useSettings();
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <QueryView query={query}>{(s) => <SettingsForm settings={s} />}</QueryView>
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Settings>();
  const errors = useFormErrors(form, FIELDS);
  const zones = useMemo(() => timeZones(settings.time_zone), [settings.time_zone]);
  const save = useMutation({
    mutationFn: (v: Settings) => settingsApi.update({ ...v, currency_code: v.currency_code.trim().toUpperCase() }),
    onSuccess: (s) => {
      form.setFieldsValue(s);
      void message.success(t('common.saved'));
    },
    onError: errors.onError,
  });
  const required = { required: true, whitespace: true, message: t('validation.required') };

  return (
    <Card style={{ maxWidth: 640 }}>
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Settings>
        form={form}
        layout="vertical"
        name="settings"
        initialValues={settings}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="business_name" label={t('settings.businessName')} rules={[required]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="currency_code"
          label={t('settings.currencyCode')}
          extra={t('settings.currencyCodeHint')}
          rules={[required, { pattern: /^[A-Za-z]{3}$/, message: t('validation.currencyCode') }]}
        >
          <Input maxLength={3} style={{ width: 120, textTransform: 'uppercase' }} />
        </Form.Item>
        <Form.Item name="currency_symbol" label={t('settings.currencySymbol')} rules={[required]}>
          <Input maxLength={8} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="time_zone" label={t('settings.timeZone')} rules={[required]}>
          <Select showSearch options={zones.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Form.Item name="order_number_prefix" label={t('settings.orderPrefix')} extra={t('settings.orderPrefixHint')} rules={[required]}>
          <Input maxLength={16} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="default_low_stock_threshold"
          label={t('settings.lowStockThreshold')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <InputNumber min={0} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
