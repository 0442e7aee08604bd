import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { purchaseOrderKey, purchaseOrdersApi } from '../../api/purchasing';
import { NotFound } from '../../components/Forbidden';
import { FullPageSpin } from '../../components/States';
import { positiveInt } from '../../lib/listing';
import { canEdit } from '../../lib/purchasing';
import { PurchaseOrderForm } from './PurchaseOrderForm';
import { PurchasingAlert } from './PurchasingAlert';

/** /purchase-orders/new and /purchase-orders/:id/edit (drafts only). */
export default function PurchaseOrderFormPage() {
  const { id } = useParams();
  return id ? <EditDraft id={positiveInt(id, 0)} /> : <PurchaseOrderForm />;
}

function EditDraft({ id }: { id: number }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: purchaseOrderKey(id),
    queryFn: ({ signal }) => purchaseOrdersApi.get(id, signal),
    enabled: id > 0,
  });
  if (id === 0) return <NotFound />;
  if (query.isPending) return <FullPageSpin />;
  if (query.isError) return <PurchasingAlert error={query.error} onRetry={() => void query.refetch()} />;
  const po = query.data;
  return canEdit(po) ? (
    // Keyed by the draft's last change: a draft changed elsewhere starts the form again.
    <PurchaseOrderForm key={po.updated_at} po={po} />
  ) : (
    <Alert type="warning" showIcon title={t('purchasing.notEditable')} />
  );
}
