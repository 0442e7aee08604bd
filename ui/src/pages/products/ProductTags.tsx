import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/types';

export function ProductStatusTag({ status }: { status: Product['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'active' ? 'green' : 'default'}>{t(`productStatus.${status}`)}</Tag>;
}

/** The stock number, red with a "low" tag when below the threshold. */
export function StockCell({ product }: { product: Pick<Product, 'stock_quantity' | 'is_low_stock'> }) {
  const { t } = useTranslation();
  return (
    <span data-testid="stock" className={product.is_low_stock ? 'stock-low' : undefined}>
      <span data-testid="stock-qty">{product.stock_quantity}</span>
      {product.is_low_stock && (
        <Tag color="red" style={{ marginInlineStart: 8 }}>
          {t('products.low')}
        </Tag>
      )}
    </span>
  );
}
