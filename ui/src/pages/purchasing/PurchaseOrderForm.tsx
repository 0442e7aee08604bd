import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Flex, Form, Input, InputNumber, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { purchaseOrderKey, purchaseOrdersApi } from '../../api/purchasing';
import type { PurchaseOrderDetail } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { usePhone } from '../../components/usePhone';
import {
  MAX_PO_QUANTITY,
  addDraftLine,
  badCost,
  draftLineCents,
  draftLineFromProduct,
  draftLinesFromPo,
  draftTotal,
  lineIndexOfField,
  removeDraftLine,
  setDraftCost,
  setDraftQuantity,
  toLineInputs,
} from '../../lib/purchasing';
import type { PoDraftLine } from '../../lib/purchasing';
import { purchasingFieldText } from '../../lib/purchasingErrors';
import { useCurrencySymbol, useMoney } from '../../lib/shop';
import { CostProductPicker } from './CostProductPicker';
import { PurchasingAlert } from './PurchasingAlert';
import { SupplierPicker } from './SupplierPicker';
import type { PickedSupplier } from './SupplierPicker';

/** Writes a new purchase order (a draft, or placed at once), or changes a draft. */
export function PurchaseOrderForm({ po }: { po?: PurchaseOrderDetail }) {
  const { t } = useTranslation();
  const money = useMoney();
  const symbol = useCurrencySymbol();
  const phone = usePhone();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [supplier, setSupplier] = useState<PickedSupplier | null>(po ? { id: po.supplier_id, name: po.supplier_name } : null);
  const [lines, setLines] = useState<PoDraftLine[]>(po ? draftLinesFromPo(po.lines) : []);
  const [note, setNote] = useState(po?.note ?? '');
  const [tried, setTried] = useState(false);

  const save = useMutation({
    mutationFn: (ordered: boolean) => {
      const body = { supplier_id: supplier?.id ?? 0, lines: toLineInputs(lines), note: note.trim() || null };
      return po ? purchaseOrdersApi.update(po.id, body) : purchaseOrdersApi.create({ ...body, ordered });
    },
    onSuccess: (saved) => {
      client.setQueryData(purchaseOrderKey(saved.id), saved);
      void navigate(`/purchase-orders/${saved.id}`);
    },
  });
  const err = save.error;
  const errorField = err instanceof ApiError ? err.field : undefined;
  const problemIndex = lineIndexOfField(errorField);
  const supplierProblem = errorField === 'supplier_id';

  const update = (next: PoDraftLine[]) => {
    setLines(next);
    if (save.isError) save.reset();
  };
  const submit = (ordered: boolean) => {
    setTried(true);
    if (!supplier || lines.length === 0 || lines.some(badCost)) return;
    save.mutate(ordered);
  };

  const lineError = (index: number) =>
    problemIndex === index && err instanceof ApiError ? (
      <Typography.Text type="danger" className="hint" data-testid="po-line-error">
        {purchasingFieldText(err, t)}
      </Typography.Text>
    ) : null;

  const quantityInput = (l: PoDraftLine, index: number) => (
    <InputNumber
      min={1}
      max={MAX_PO_QUANTITY}
      precision={0}
      value={l.quantity}
      status={problemIndex === index && errorField?.endsWith('quantity') ? 'error' : undefined}
      onChange={(v) => update(setDraftQuantity(lines, l.productId, v))}
      aria-label={t('purchasing.quantityOf', { name: l.name })}
      style={{ width: phone ? 88 : 110 }}
      data-testid="po-line-qty"
    />
  );
  const costInput = (l: PoDraftLine, index: number) => (
    <Flex vertical gap={2}>
      <Input
        inputMode="decimal"
        autoComplete="off"
        prefix={symbol || undefined}
        placeholder={t('purchasing.noCost')}
        value={l.unitCost}
        status={badCost(l) || (problemIndex === index && errorField?.endsWith('unit_cost')) ? 'error' : undefined}
        onChange={(e) => update(setDraftCost(lines, l.productId, e.target.value))}
        aria-label={t('purchasing.unitCostOf', { name: l.name })}
        style={{ width: 130 }}
        data-testid="po-line-cost"
      />
      {badCost(l) && (
        <Typography.Text type="danger" className="hint">
          {t('purchasing.badCost')}
        </Typography.Text>
      )}
    </Flex>
  );
  const lineTotal = (l: PoDraftLine) => {
    const c = draftLineCents(l);
    return (
      <span className="nowrap" data-testid="po-line-total">
        {c === null ? '—' : money(c)}
      </span>
    );
  };
  const removeButton = (l: PoDraftLine) => (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      aria-label={t('purchasing.removeLine', { name: l.name })}
      onClick={() => update(removeDraftLine(lines, l.productId))}
    />
  );
  const product = (l: PoDraftLine) => (
    <>
      <div>{l.name}</div>
      <Typography.Text type="secondary">
        {l.sku}
        {l.unit ? ` · ${l.unit}` : ''}
      </Typography.Text>
    </>
  );
  const indexOf = (l: PoDraftLine) => lines.findIndex((x) => x.productId === l.productId);

  const columns: TableColumnsType<PoDraftLine> = phone
    ? [
        {
          title: t('purchasing.product'),
          key: 'line',
          render: (_v, l) => (
            <Flex vertical gap={4}>
              {product(l)}
              <Flex gap={6} wrap align="center">
                {quantityInput(l, indexOf(l))} × {costInput(l, indexOf(l))}
              </Flex>
              {lineError(indexOf(l))}
            </Flex>
          ),
        },
        {
          title: t('purchasing.lineTotal'),
          key: 'total',
          align: 'right',
          render: (_v, l) => (
            <Flex vertical gap={4} align="flex-end">
              {lineTotal(l)}
              {removeButton(l)}
            </Flex>
          ),
        },
      ]
    : [
        { title: t('purchasing.product'), key: 'product', render: (_v, l) => product(l) },
        {
          title: t('purchasing.quantity'),
          key: 'qty',
          render: (_v, l) => (
            <Flex vertical gap={2}>
              {quantityInput(l, indexOf(l))}
              {lineError(indexOf(l))}
            </Flex>
          ),
        },
        { title: t('purchasing.unitCost'), key: 'cost', render: (_v, l) => costInput(l, indexOf(l)) },
        { title: t('purchasing.lineTotal'), key: 'total', align: 'right', render: (_v, l) => lineTotal(l) },
        { key: 'remove', title: <span className="visually-hidden">{t('common.actions')}</span>, render: (_v, l) => removeButton(l) },
      ];

  const backTo = po ? `/purchase-orders/${po.id}` : '/purchase-orders';
  const back = (
    <Link to={backTo} aria-label={t('common.back')}>
      <Button type="text" icon={<ArrowLeftOutlined />} />
    </Link>
  );
  // Errors shown next to a line or the supplier are not repeated above.
  const showAlert = err !== null && problemIndex === undefined && !supplierProblem;

  return (
    <>
      <PageHeader back={back} title={po ? t('purchasing.editTitle', { number: po.number }) : t('purchasing.newOrder')} />
      {showAlert && <PurchasingAlert error={err} />}
      <Card className="section">
        <Form layout="vertical">
          <Form.Item
            label={t('purchasing.supplier')}
            htmlFor="po-supplier"
            required
            validateStatus={(tried && !supplier) || supplierProblem ? 'error' : undefined}
            help={
              supplierProblem && err instanceof ApiError
                ? purchasingFieldText(err, t)
                : tried && !supplier
                  ? t('purchasing.supplierRequired')
                  : undefined
            }
          >
            <SupplierPicker
              id="po-supplier"
              value={supplier}
              onChange={(s) => {
                setSupplier(s);
                if (save.isError) save.reset();
              }}
              style={{ maxWidth: 420 }}
            />
          </Form.Item>
          <Form.Item
            label={t('purchasing.lines')}
            extra={t('purchasing.costHint')}
            validateStatus={tried && lines.length === 0 ? 'error' : undefined}
            help={tried && lines.length === 0 ? t('purchasing.noLines') : undefined}
          >
            <CostProductPicker onPick={(p) => update(addDraftLine(lines, draftLineFromProduct(p)))} />
          </Form.Item>
        </Form>
        <Table<PoDraftLine>
          rowKey="productId"
          size="small"
          columns={columns}
          dataSource={lines}
          pagination={false}
          scroll={phone ? undefined : { x: 'max-content' }}
          locale={{ emptyText: t('purchasing.noLines') }}
          data-testid="po-lines"
        />
        <Flex justify="flex-end" className="section">
          <Typography.Text strong>
            {t('purchasing.total')}: <span data-testid="po-form-total">{money(draftTotal(lines))}</span>
          </Typography.Text>
        </Flex>
        <Form layout="vertical">
          <Form.Item label={t('common.note')} htmlFor="po-note">
            <Input.TextArea id="po-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
        </Form>
        <Flex gap={8} wrap>
          <Button
            type="primary"
            loading={save.isPending && save.variables === false}
            disabled={save.isPending}
            onClick={() => submit(false)}
          >
            {po ? t('common.save') : t('purchasing.saveDraft')}
          </Button>
          {!po && (
            <Button loading={save.isPending && save.variables === true} disabled={save.isPending} onClick={() => submit(true)}>
              {t('purchasing.saveAndOrder')}
            </Button>
          )}
          <Link to={backTo}>
            <Button>{t('common.cancel')}</Button>
          </Link>
        </Flex>
      </Card>
    </>
  );
}
