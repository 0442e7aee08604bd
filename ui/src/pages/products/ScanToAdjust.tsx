import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../api/types';
import { ScanField } from '../../components/ScanField';
import { isStaffProduct } from '../../lib/scan';
import { StockAdjustModal } from './StockAdjustModal';

/** The products list's scan box: a scanned product opens its stock adjustment. */
export function ScanToAdjust() {
  const { t } = useTranslation();
  const [product, setProduct] = useState<Product | null>(null);
  return (
    <>
      <ScanField
        onProduct={(p) => {
          // Staff always get the full product; anything else cannot be adjusted here.
          if (!isStaffProduct(p)) return t('errors.forbidden');
          setProduct(p);
        }}
        placeholder={t('scan.adjustPlaceholder')}
        style={{ width: 240, maxWidth: '100%' }}
        testId="stock-scan"
      />
      {product && <StockAdjustModal product={product} onClose={() => setProduct(null)} />}
    </>
  );
}
