import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Table } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { purchaseOrderKey, purchaseOrdersApi } from '../../api/purchasing';
import type { NewPoReceipt, PoLine, PurchaseOrderDetail } from '../../api/types';
import { useFormErrors } from '../../components/useFormErrors';
import {
  defaultReceiveQuantities,
  defaultReturnQuantities,
  outstanding,
  quantityLines,
  returnableQty,
} from '../../lib/purchasing';
import type { Quantities } from '../../lib/purchasing';
import { PurchasingAlert } from './PurchasingAlert';

export type QuantitiesKind = 'receipt' | 'return';

interface Values {
  quantities: Quantities;
  note?: string;
}

const FIELDS = ['note'] as const;

/**
 * 采购入库 (`receipt`): per line, how many came in, starting at what is still to come; or
 * 退货给供应商 (`return`): how many go back, at most what came in and was not yet returned.
 * After it, the purchase order shown is the server's answer, and product views refresh.
 */
export function QuantitiesModal({
  po,
  kind,
  onClose,
}: {
  po: PurchaseOrderDetail;
  kind: QuantitiesKind;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const receiving = kind === 'receipt';
  const limit = receiving ? outstanding : returnableQty;
  const rows = useMemo(() => po.lines.filter((l) => limit(l) > 0), [po.lines, limit]);
  const initial = useMemo<Values>(
    () => ({ quantities: receiving ? defaultReceiveQuantities(po.lines) : defaultReturnQuantities(po.lines) }),
    // The form starts once, from the purchase order as it was when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const qtyLabel = receiving ? t('purchasing.receiveQty') : t('purchasing.returnQty');

  const send = useMutation({
    mutationFn: (body: NewPoReceipt) =>
      receiving ? purchaseOrdersApi.receive(po.id, body) : purchaseOrdersApi.returnGoods(po.id, body),
    onSuccess: (after) => {
      client.setQueryData(purchaseOrderKey(po.id), after);
      // Stock moved, and a receipt moves each product's cost price.
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['product'] });
      void message.success(receiving ? t('purchasing.receivedDone') : t('purchasing.returnedDone'));
      onClose();
    },
    onError: errors.onError,
  });

  const onFinish = (v: Values) => {
    errors.clear();
    const lines = quantityLines(po.lines, v.quantities, limit);
    if (lines.length === 0) {
      void message.warning(t('purchasing.nothingEntered'));
      return;
    }
    send.mutate({ lines, note: v.note?.trim() || null });
  };

  return (
    <Modal
      open
      title={t(receiving ? 'purchasing.receiveTitle' : 'purchasing.returnTitle', { number: po.number })}
      okText={receiving ? t('purchasing.receiveOk') : t('purchasing.returnOk')}
      okButtonProps={{ danger: !receiving, disabled: send.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={send.isPending}
      destroyOnHidden
      width={680}
    >
      <Alert type="info" showIcon className="section" title={receiving ? t('purchasing.receiveHint') : t('purchasing.returnHint')} />
      {errors.error !== null && <PurchasingAlert error={errors.error} />}
      <Form<Values> form={form} layout="vertical" name={receiving ? 'po-receive' : 'po-return'} initialValues={initial} onFinish={onFinish}>
        <Table<PoLine>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rows}
          className="section"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('purchasing.product'),
              key: 'name',
              render: (_v, l) => (
                <>
                  <div>{l.product_name}</div>
                  <span className="hint">{l.sku}</span>
                </>
              ),
            },
            {
              title: qtyLabel,
              key: 'qty',
              render: (_v, l) => (
                <Form.Item name={['quantities', String(l.id)]} noStyle>
                  <InputNumber
                    min={0}
                    max={limit(l)}
                    precision={0}
                    aria-label={`${qtyLabel} ${l.product_name}`}
                    data-testid={`${receiving ? 'receive' : 'return'}-qty-${l.id}`}
                  />
                </Form.Item>
              ),
            },
            {
              title: '',
              key: 'left',
              render: (_v, l) =>
                receiving
                  ? t('purchasing.leftToReceive', { n: outstanding(l) })
                  : t('purchasing.returnableLeft', { n: returnableQty(l) }),
            },
          ]}
        />
        <Form.Item name="note" label={t('common.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
