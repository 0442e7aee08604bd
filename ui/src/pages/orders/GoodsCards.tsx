import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shippingApi } from '../../api/shipping';
import type { OrderView, ShipTo } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { addressLine, hasShipTo, trackingUrl } from '../../lib/goods';
import { useDateTime, useMoney, useSettings } from '../../lib/shop';
import { ReturnModal } from './ReturnModal';
import { ShipModal } from './ShipModal';
import { ShipToFields, cleanShipTo } from './ShipToFields';

/** A tracking number, linked to its carrier's tracking page when the settings know one. */
export function Tracking({ carrier, number }: { carrier?: string | null; number?: string | null }) {
  const carriers = useSettings().data?.carriers ?? [];
  if (!number) return null;
  const url = trackingUrl(carriers, carrier, number);
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer" data-testid="tracking-link">
      {number}
    </a>
  ) : (
    <span data-testid="tracking-number">{number}</span>
  );
}

/** Where the order goes, changeable until it ships. */
export function ShipToCard({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<ShipTo>();
  const save = useMutation({
    mutationFn: (body: ShipTo) => shippingApi.setShipTo(order.id, body),
    onSuccess: (o) => {
      client.setQueryData(['order', order.id], o);
      void message.success(t('shipping.shipToSaved'));
      setEditing(false);
    },
  });
  const to = order.ship_to;
  return (
    <Card
      size="small"
      className="section"
      title={t('shipping.shipTo')}
      extra={
        order.actions.edit_ship_to && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-ship-to">
            {t('shipping.editShipTo')}
          </Button>
        )
      }
    >
      {hasShipTo(to) ? (
        <div data-testid="ship-to">
          <strong>{to.name}</strong> {to.phone}
          <div>
            {addressLine(to)} {to.postcode}
          </div>
        </div>
      ) : (
        <Typography.Text type="secondary">{t('shipping.noShipTo')}</Typography.Text>
      )}
      {editing && (
        <Modal
          open
          title={t('shipping.editShipTo')}
          okText={t('common.save')}
          cancelText={t('common.cancel')}
          onOk={() => form.submit()}
          onCancel={() => setEditing(false)}
          confirmLoading={save.isPending}
          destroyOnHidden
          width={640}
        >
          {save.isError && <ErrorAlert error={save.error} />}
          <Form<ShipTo> form={form} layout="vertical" initialValues={to} onFinish={(v) => save.mutate(cleanShipTo(v))}>
            <ShipToFields />
          </Form>
        </Modal>
      )}
    </Card>
  );
}

/** The parcels that went out and the goods that came back, with the buttons to record more. */
export function GoodsCards({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dateTime = useDateTime();
  const client = useQueryClient();
  const [open, setOpen] = useState<'ship' | 'return' | null>(null);
  const done = (o: OrderView | null) => {
    setOpen(null);
    if (o) client.setQueryData(['order', order.id], o);
    else void client.invalidateQueries({ queryKey: ['order', order.id] });
  };
  const { ship, return_goods } = order.actions;
  return (
    <>
      <Card
        size="small"
        className="section"
        title={t('shipping.shipments')}
        extra={
          ship && (
            <Button type="primary" size="small" onClick={() => setOpen('ship')} data-testid="open-ship">
              {t('shipping.ship')}
            </Button>
          )
        }
      >
        {order.shipments.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('shipping.noShipments')} />
        ) : (
          <List
            size="small"
            dataSource={order.shipments}
            data-testid="shipments"
            renderItem={(s) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <span>
                    {s.carrier && <Tag>{s.carrier}</Tag>}
                    <Tracking carrier={s.carrier} number={s.tracking_number} />{' '}
                    <Typography.Text type="secondary">
                      {dateTime(s.shipped_at)}
                      {s.shipped_by ? ` · ${t('shipping.shippedBy', { name: s.shipped_by })}` : ` · ${t('shipping.untracked')}`}
                    </Typography.Text>
                  </span>
                  <span>{s.lines.map((l) => `${l.product_name} × ${l.quantity}`).join('；')}</span>
                  {s.note && <Typography.Text type="secondary">{s.note}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      {(order.returns.length > 0 || return_goods) && (
        <Card
          size="small"
          className="section"
          title={t('returns.returns')}
          extra={
            return_goods && (
              <Button size="small" onClick={() => setOpen('return')} data-testid="open-return">
                {t('returns.record')}
              </Button>
            )
          }
        >
          <List
            size="small"
            dataSource={order.returns}
            data-testid="returns"
            renderItem={(r) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <span>
                    <Tag color="magenta">{t(`returns.reasons.${r.reason}`)}</Tag>
                    {t('returns.value')} {money(r.amount)}
                    {r.refund_amount && <> · {t('returns.refunded', { amount: money(r.refund_amount) })}</>}{' '}
                    <Typography.Text type="secondary">
                      {dateTime(r.created_at)} · {r.returned_by}
                    </Typography.Text>
                  </span>
                  <span>
                    {r.lines
                      .map((l) => `${l.product_name} × ${l.quantity} (${l.restock ? t('returns.restock') : t('returns.writeOff')})`)
                      .join('；')}
                  </span>
                  {r.note && <Typography.Text type="secondary">{r.note}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      {open === 'ship' && <ShipModal order={order} onClose={() => setOpen(null)} onDone={done} />}
      {open === 'return' && <ReturnModal order={order} onClose={() => setOpen(null)} onDone={done} />}
    </>
  );
}
