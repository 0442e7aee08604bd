import { useQuery } from '@tanstack/react-query';
import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { shippingApi } from '../../api/shipping';
import type { NewOrder, ShipTo } from '../../api/types';
import { addressLine } from '../../lib/goods';
import { ShipToFields, cleanShipTo } from './ShipToFields';

/** Where a new order goes: one of the customer's saved addresses, their record, or one typed. */
export type ShipChoice = { kind: 'saved'; id: number } | { kind: 'default' } | { kind: 'other'; to: ShipTo };

/** The part of a new order's body the choice makes. */
export function shipToBody(choice: ShipChoice): Pick<NewOrder, 'ship_to' | 'address_id'> {
  if (choice.kind === 'saved') return { address_id: choice.id };
  if (choice.kind === 'other') return { ship_to: cleanShipTo(choice.to) };
  return {};
}

export function ShipToChooser({
  customerId,
  value,
  onChange,
}: {
  customerId: number | null;
  value: ShipChoice;
  onChange: (c: ShipChoice) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ShipTo>();
  const saved = useQuery({
    queryKey: ['addresses', customerId],
    queryFn: ({ signal }) => shippingApi.addresses(customerId ?? 0, signal),
    enabled: customerId !== null,
  });
  const addresses = customerId === null ? [] : (saved.data ?? []);
  // Nothing picked sends nothing, and the server starts the order at the customer's default
  // address: so "default" shows as that address. (The form resets the choice with the customer.)
  const defaultId = addresses.find((a) => a.is_default)?.id;
  const selected =
    value.kind === 'saved' ? `a${value.id}` : value.kind === 'default' && defaultId !== undefined ? `a${defaultId}` : value.kind;
  const options = [
    ...addresses.map((a) => ({
      value: `a${a.id}`,
      label: [a.label, a.name, a.phone, addressLine(a)].filter(Boolean).join(' · '),
    })),
    ...(addresses.length === 0 ? [{ value: 'default', label: t(customerId ? 'shipping.customerDefault' : 'shipping.noShipTo') }] : []),
    { value: 'other', label: t('shipping.otherAddress') },
  ];
  return (
    <>
      <Form.Item label={t('shipping.savedAddress')} htmlFor="order-ship-to">
        <Select
          id="order-ship-to"
          value={selected}
          options={options}
          loading={saved.isFetching}
          data-testid="order-ship-to"
          onChange={(v: string) => {
            if (v === 'other') onChange({ kind: 'other', to: form.getFieldsValue() });
            else if (v === 'default') onChange({ kind: 'default' });
            else onChange({ kind: 'saved', id: Number(v.slice(1)) });
          }}
        />
      </Form.Item>
      {value.kind === 'other' && (
        <Form<ShipTo> form={form} component={false} onValuesChange={(_c, all) => onChange({ kind: 'other', to: all })}>
          <ShipToFields />
        </Form>
      )}
    </>
  );
}
