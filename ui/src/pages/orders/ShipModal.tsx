import { useMutation } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Select, Table } from 'antd';
import { useMemo, useRef } from 'react';
import type { InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { shippingApi } from '../../api/shipping';
import type { NewShipment, OrderItem, OrderView } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { useSettings } from '../../lib/shop';
import { parcelLines, toShip } from '../../lib/goods';

interface Values {
  carrier?: string;
  tracking_number?: string;
  note?: string;
  quantities: Record<string, number | null>;
}

const FIELDS = ['carrier', 'tracking_number', 'note'] as const;

/** Codes that mean the parcel went out already (a double click, or another desk): not an error. */
export const ALREADY_SHIPPED = ['already_shipped', 'nothing_to_ship', 'already_in_status'];

/**
 * Records a parcel: carrier, tracking number (a scanner types it and Enter ships) and, unless
 * `quick`, how many of each line go in it (everything left by default). The dialog is the
 * confirmation: it says the goods cannot come back by undoing.
 */
export function ShipModal({
  order,
  quick = false,
  onClose,
  onDone,
}: {
  order: OrderView;
  quick?: boolean;
  onClose: () => void;
  onDone: (o: OrderView | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const carriers = useSettings().data?.carriers ?? [];
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const tracking = useRef<InputRef>(null);
  const left = useMemo(() => order.items.filter((i) => toShip(i) > 0), [order.items]);
  const initial = useMemo<Values>(
    () => ({
      carrier: carriers[0]?.name,
      quantities: Object.fromEntries(left.map((i) => [String(i.id), toShip(i)])),
    }),
    // The form starts once, from the order as it was when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const ship = useMutation({
    mutationFn: (body: NewShipment) => shippingApi.ship(order.id, body),
    onSuccess: (o) => {
      void message.success(o.status === 'shipped' ? t('shipping.shipped') : t('shipping.partShipped'));
      onDone(o);
    },
    onError: (err) => {
      if (err instanceof ApiError && ALREADY_SHIPPED.includes(err.code)) {
        void message.info(t('errors.already_shipped'));
        onDone(null);
        return;
      }
      errors.onError(err);
    },
  });

  const onFinish = (v: Values) => {
    errors.clear();
    const lines = quick ? null : parcelLines(left, v.quantities);
    if (lines !== null && lines.length === 0) {
      void message.warning(t('shipping.nothingSelected'));
      return;
    }
    ship.mutate({
      carrier: v.carrier ?? null,
      tracking_number: v.tracking_number?.trim() || null,
      note: v.note?.trim() || null,
      // Everything left goes as "no lines": the server ships what is left at that moment.
      lines: lines && lines.length === left.length && lines.every((l, n) => l.quantity === toShip(left[n]!)) ? null : lines,
    });
  };

  return (
    <Modal
      open
      title={t('shipping.shipTitle', { number: order.order_number })}
      okText={t('shipping.ship')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={ship.isPending}
      okButtonProps={{ disabled: ship.isPending }}
      afterOpenChange={(open) => open && tracking.current?.focus()}
      destroyOnHidden
      width={quick ? 480 : 640}
    >
      <Alert type="info" showIcon title={t('shipping.confirmBody')} className="section" />
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Values> form={form} layout="vertical" name="ship" initialValues={initial} onFinish={onFinish}>
        <Form.Item name="carrier" label={t('shipping.carrier')}>
          <Select
            allowClear
            placeholder={t('shipping.noCarrier')}
            options={carriers.map((c) => ({ value: c.name, label: c.name }))}
            style={{ maxWidth: 280 }}
            data-testid="ship-carrier"
          />
        </Form.Item>
        <Form.Item name="tracking_number" label={t('shipping.tracking')} extra={t('shipping.trackingHint')}>
          <Input
            ref={tracking}
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            style={{ maxWidth: 280 }}
            data-testid="ship-tracking"
            onPressEnter={(e) => {
              e.preventDefault();
              if (!ship.isPending) form.submit();
            }}
          />
        </Form.Item>
        {!quick && (
          <Table<OrderItem>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={left}
            className="section"
            columns={[
              { title: t('products.name'), dataIndex: 'product_name', key: 'name' },
              {
                title: t('shipping.thisParcel'),
                key: 'qty',
                render: (_v, i) => (
                  <Form.Item name={['quantities', String(i.id)]} noStyle>
                    <InputNumber
                      min={0}
                      max={toShip(i)}
                      precision={0}
                      aria-label={`${t('shipping.thisParcel')} ${i.product_name}`}
                      data-testid={`ship-qty-${i.id}`}
                    />
                  </Form.Item>
                ),
              },
              { title: '', key: 'left', render: (_v, i) => t('shipping.left', { n: toShip(i) }) },
            ]}
          />
        )}
        <Form.Item name="note" label={t('common.note')}>
          <Input maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
