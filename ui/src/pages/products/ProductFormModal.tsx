import { useMutation } from '@tanstack/react-query';
import { AutoComplete, Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { productsApi } from '../../api/products';
import type { NewProduct, Product } from '../../api/types';
import { ErrorAlert } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import {
  MAX_UNIT_CHARS,
  barcodeProblem,
  describeCatalogueError,
  isCatalogueFieldError,
  shopUnits,
  unitOptions,
} from '../../lib/categories';
import { isValidPrice, normalizePrice } from '../../lib/money';
import { useCurrencySymbol, useSettings } from '../../lib/shop';
import { CategorySelect } from './CategorySelect';

interface Values {
  sku: string;
  name: string;
  price: string;
  stock_quantity?: number;
  low_stock_threshold?: number | null;
  description?: string;
  /** Blank: the shop's default rate. */
  tax_rate?: string;
  category_id?: number | null;
  unit?: string;
  barcode?: string;
  /** Blank: not known. */
  cost_price?: string;
}

const FIELDS = [
  'sku',
  'name',
  'price',
  'stock_quantity',
  'low_stock_threshold',
  'description',
  'tax_rate',
  'category_id',
  'unit',
  'barcode',
  'cost_price',
] as const;

/** Create a product (no `product`) or edit one. Stock is changed by adjustments, not here. */
export function ProductFormModal({
  product,
  open,
  onClose,
  onSaved,
}: {
  product?: Product;
  open: boolean;
  onClose: () => void;
  onSaved?: (p: Product) => void;
}) {
  const { t } = useTranslation();
  const currency = useCurrencySymbol();
  const units = shopUnits(useSettings().data);
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const moneyRule = {
    validator: (_r: unknown, v: string | undefined) =>
      !v || isValidPrice(v) ? Promise.resolve() : Promise.reject(new Error(t('validation.price'))),
  };

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        sku: v.sku.trim(),
        name: v.name.trim(),
        price: normalizePrice(v.price),
        low_stock_threshold: v.low_stock_threshold ?? null,
        description: v.description?.trim() || null,
        tax_rate: v.tax_rate?.trim() || null,
        category_id: v.category_id ?? null,
        unit: v.unit?.trim() || null,
        barcode: v.barcode?.trim() || null,
        cost_price: v.cost_price?.trim() ? normalizePrice(v.cost_price) : null,
      };
      if (product) return productsApi.update(product.id, body);
      const create: NewProduct = { ...body, stock_quantity: v.stock_quantity ?? 0 };
      return productsApi.create(create);
    },
    onSuccess: (p) => {
      onSaved?.(p);
      onClose();
    },
    onError: (err: unknown) => {
      // The catalogue's own refusals (a taken barcode, a wrong check digit, a category gone)
      // in the UI language, on their field; the rest as every form maps them.
      if (isCatalogueFieldError(err)) {
        const name = err.code === 'barcode_taken' ? 'barcode' : (err.field ?? 'barcode');
        if (name === 'barcode' || name === 'category_id') {
          form.setFields([{ name, errors: [describeCatalogueError(err, t)] }]);
          form.scrollToField(name);
          errors.clear();
          return;
        }
      }
      errors.onError(err);
    },
  });

  const initial: Partial<Values> = product
    ? {
        sku: product.sku,
        name: product.name,
        price: product.price,
        low_stock_threshold: product.low_stock_threshold ?? null,
        description: product.description ?? '',
        tax_rate: product.tax_rate ?? '',
        category_id: product.category_id ?? null,
        unit: product.unit ?? '',
        barcode: product.barcode ?? '',
        cost_price: product.cost_price ?? '',
      }
    : { stock_quantity: 0 };

  return (
    <Modal
      open={open}
      title={product ? t('products.editTitle') : t('products.newTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
        preserve={false}
        name="product"
      >
        <Form.Item
          name="sku"
          label={t('products.sku')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" spellCheck={false} maxLength={64} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('products.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="price"
          label={t('products.price')}
          rules={[{ required: true, message: t('validation.required') }, moneyRule]}
        >
          <Input inputMode="decimal" placeholder="19.90" prefix={currency || undefined} />
        </Form.Item>
        <Form.Item name="cost_price" label={t('products.costPrice')} extra={t('products.costPriceHint')} rules={[moneyRule]}>
          <Input inputMode="decimal" placeholder={t('products.unknown')} prefix={currency || undefined} data-testid="product-cost-price" />
        </Form.Item>
        <Form.Item name="category_id" label={t('products.category')}>
          <CategorySelect placeholder={t('categories.none')} data-testid="product-category" />
        </Form.Item>
        <Form.Item
          name="unit"
          label={t('products.unit')}
          extra={t('products.unitHint')}
          rules={[{ max: MAX_UNIT_CHARS, message: t('validation.maxChars', { n: MAX_UNIT_CHARS }) }]}
        >
          <AutoComplete options={unitOptions(units, product?.unit)} style={{ maxWidth: 200 }} data-testid="product-unit" />
        </Form.Item>
        <Form.Item
          name="barcode"
          label={t('products.barcode')}
          extra={t('products.barcodeHint')}
          rules={[
            {
              validator: (_r, v: string | undefined) => {
                const problem = barcodeProblem(v ?? '');
                return problem
                  ? Promise.reject(new Error(t('products.barcodeCheckDigit', { ...problem })))
                  : Promise.resolve();
              },
            },
          ]}
        >
          <Input autoComplete="off" spellCheck={false} maxLength={32} data-testid="product-barcode" />
        </Form.Item>
        {!product && (
          <Form.Item
            name="stock_quantity"
            label={t('products.initialStock')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="low_stock_threshold" label={t('products.lowStockThreshold')} extra={t('products.thresholdHint')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="tax_rate" label={t('products.taxRate')} extra={t('products.taxRateHint')}>
          <Input inputMode="decimal" suffix="%" maxLength={6} data-testid="product-tax-rate" />
        </Form.Item>
        <Form.Item name="description" label={t('products.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
