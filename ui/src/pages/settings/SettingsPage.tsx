import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOGO_MAX_BYTES, logoUrl, settingsApi } from '../../api/admin';
import { ApiError } from '../../api/client';
import type { Settings } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, QueryView } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { fieldErrorText } from '../../lib/errors';
import { LOGO_ACCEPT, checkLogoFile, describeLogoError } from '../../lib/logo';
import { MAX_UNIT_CHARS, normalizeUnits } from '../../lib/categories';
import { BUILTIN_METHODS, methodLabel, normalizeMethods } from '../../lib/payments';
import { settingsPatch } from '../../lib/settings';
import type { SettingsValues } from '../../lib/settings';
import { SETTINGS_KEY, useSettings } from '../../lib/shop';

const FIELDS = [
  'business_name',
  'currency_code',
  'currency_symbol',
  'time_zone',
  'order_number_prefix',
  'default_low_stock_threshold',
  'business_address',
  'business_phone',
  'show_stock_to_customers',
  'payment_methods',
  'units',
  'prices_include_tax',
  'default_tax_rate',
  'carriers',
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
      <QueryView query={query}>
        {(s) => (
          <>
            <SettingsForm settings={s} />
            <LogoCard settings={s} />
          </>
        )}
      </QueryView>
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsValues>();
  const errors = useFormErrors(form, FIELDS);
  const zones = useMemo(() => timeZones(settings.time_zone), [settings.time_zone]);
  const methods = Form.useWatch('payment_methods', form) ?? settings.payment_methods;
  // The built-ins not listed yet are offered to add back; the shop's own are shown as typed.
  const methodOptions = [...new Set([...methods, ...BUILTIN_METHODS])].map((m) => ({ value: m, label: methodLabel(m, t) }));
  const save = useMutation({
    mutationFn: (v: SettingsValues) => settingsApi.update(settingsPatch(v)),
    onSuccess: (s) => {
      form.setFieldsValue(s);
      void message.success(t('common.saved'));
    },
    onError: (err: unknown) => {
      // One method of the list (payment_methods[2]): shown on the list.
      if (err instanceof ApiError && err.field?.startsWith('payment_methods')) {
        form.setFields([{ name: 'payment_methods', errors: [fieldErrorText(err, t)] }]);
        errors.clear();
        return;
      }
      // One unit of the list (units[3]): shown on the list too.
      if (err instanceof ApiError && err.field?.startsWith('units')) {
        form.setFields([{ name: 'units', errors: [fieldErrorText(err, t)] }]);
        errors.clear();
        return;
      }
      errors.onError(err);
    },
  });
  const required = { required: true, whitespace: true, message: t('validation.required') };

  return (
    <Card style={{ maxWidth: 640 }} className="section">
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<SettingsValues>
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
        <Form.Item name="business_address" label={t('settings.businessAddress')} extra={t('settings.printedHint')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="business_phone" label={t('settings.businessPhone')}>
          <Input maxLength={50} style={{ maxWidth: 280 }} />
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
        <Form.Item
          name="payment_methods"
          label={t('settings.paymentMethods')}
          extra={t('settings.paymentMethodsHint')}
          normalize={(v: string[]) => normalizeMethods(v)}
          rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}
        >
          <Select mode="tags" options={methodOptions} tokenSeparators={[',', '，', '、']} maxCount={30} data-testid="payment-methods" />
        </Form.Item>
        <Form.Item
          name="units"
          label={t('settings.units')}
          extra={t('settings.unitsHint')}
          normalize={(v: string[]) => normalizeUnits(v)}
          rules={[
            { required: true, type: 'array', min: 1, message: t('validation.required') },
            {
              validator: (_r, v: string[] | undefined) => {
                const long = (v ?? []).find((u) => [...u].length > MAX_UNIT_CHARS);
                return long === undefined
                  ? Promise.resolve()
                  : Promise.reject(new Error(`${long}: ${t('validation.maxChars', { n: MAX_UNIT_CHARS })}`));
              },
            },
          ]}
        >
          <Select mode="tags" tokenSeparators={[',', '，', '、']} maxCount={50} data-testid="units" />
        </Form.Item>
        <Form.Item label={t('settings.carriers')} extra={t('settings.carriersHint')}>
          <Form.List name="carriers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'name']} rules={[required]} noStyle>
                      <Input maxLength={30} placeholder={t('settings.carrierName')} style={{ width: 180 }} aria-label={t('settings.carrierName')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'tracking_url']} noStyle>
                      <Input maxLength={300} placeholder="https://…{tracking}" style={{ width: 360 }} aria-label={t('settings.trackingUrl')} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', tracking_url: '' })} data-testid="add-carrier">
                  {t('settings.addCarrier')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item
          name="show_stock_to_customers"
          label={t('settings.showStock')}
          extra={t('settings.showStockHint')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="prices_include_tax"
          label={t('settings.pricesIncludeTax')}
          extra={t('settings.pricesIncludeTaxHint')}
          valuePropName="checked"
        >
          <Switch data-testid="prices-include-tax" />
        </Form.Item>
        <Form.Item name="default_tax_rate" label={t('settings.defaultTaxRate')} extra={t('settings.defaultTaxRateHint')}>
          <Input inputMode="decimal" suffix="%" maxLength={6} style={{ width: 140 }} data-testid="default-tax-rate" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** The shop's logo, printed on packing slips and invoices: preview, replace, remove. */
function LogoCard({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const saved = (s: Settings) => client.setQueryData(SETTINGS_KEY, s);
  const upload = useMutation({
    mutationFn: (file: Blob) => settingsApi.putLogo(file),
    onSuccess: (s) => {
      saved(s);
      void message.success(t('settings.logoSaved'));
    },
    onError: (err) => setProblem(describeLogoError(err, t)),
  });
  const remove = useMutation({
    mutationFn: () => settingsApi.removeLogo(),
    onSuccess: (s) => {
      saved(s);
      void message.success(t('settings.logoRemoved'));
    },
    onError: (err) => setProblem(describeLogoError(err, t)),
  });
  const src = logoUrl(settings);

  return (
    <Card title={t('settings.logo')} style={{ maxWidth: 640 }} data-testid="logo-card">
      <Typography.Paragraph type="secondary">{t('settings.logoHint', { kib: LOGO_MAX_BYTES / 1024 })}</Typography.Paragraph>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={problem}
          className="toolbar"
          closable={{ onClose: () => setProblem(null) }}
          data-testid="logo-error"
        />
      )}
      {src ? (
        <img src={src} alt={t('settings.logoAlt')} className="logo-preview toolbar" data-testid="logo-preview" />
      ) : (
        <Typography.Paragraph data-testid="logo-none">{t('settings.noLogo')}</Typography.Paragraph>
      )}
      <Flex gap={8} wrap>
        <Upload
          accept={LOGO_ACCEPT}
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            setProblem(null);
            const refused = checkLogoFile(file, t);
            if (refused) setProblem(refused);
            else upload.mutate(file);
            return Upload.LIST_IGNORE;
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="logo-upload">
            {src ? t('settings.replaceLogo') : t('settings.uploadLogo')}
          </Button>
        </Upload>
        {src && (
          <Popconfirm
            title={t('settings.removeLogoConfirm')}
            okText={t('settings.removeLogo')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutateAsync().catch(() => undefined)}
          >
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="logo-remove">
              {t('settings.removeLogo')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </Card>
  );
}
