import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { customersApi } from '../../api/customers';
import { ordersApi } from '../../api/orders';
import { productsApi } from '../../api/products';
import { useUser } from '../../auth/session';
import { FullPageSpin, QueryView } from '../../components/States';
import { positiveInt } from '../../lib/listing';
import { atLeast } from '../../lib/roles';
import { lineFromProduct, linesFromOrder } from '../../lib/orderLines';
import type { Orderable } from '../../lib/orderLines';
import { OrderForm } from './OrderForm';

/** /orders/new (optionally ?product=ID from the catalogue) and /orders/:id/edit. */
export default function OrderFormPage() {
  const { id } = useParams();
  return id ? <EditOrder id={positiveInt(id, 0)} /> : <NewOrder />;
}

function NewOrder() {
  const [params] = useSearchParams();
  const staff = atLeast(useUser().role, 'staff');
  const productId = positiveInt(params.get('product'), 0);
  const customerId = positiveInt(params.get('customer'), 0);
  // Customers get the product as the catalogue shows it (the server finds them active ones only).
  const product = useQuery<Orderable>({
    queryKey: staff ? ['product', productId] : ['product', 'catalogue', productId],
    queryFn: ({ signal }) =>
      staff ? productsApi.get(productId, signal) : productsApi.catalogueItem(productId, signal),
    enabled: productId > 0,
    retry: false,
  });
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: ({ signal }) => customersApi.get(customerId, signal),
    enabled: customerId > 0 && staff,
    retry: false,
  });
  if ((productId > 0 && product.isPending) || (staff && customerId > 0 && customer.isPending)) return <FullPageSpin />;
  const p = product.data;
  const orderable = p !== undefined && (!('status' in p) || p.status === 'active');
  const initial = orderable ? [lineFromProduct(p)] : [];
  const c = customer.data && !customer.data.is_archived ? { id: customer.data.id, name: customer.data.name } : null;
  return <OrderForm initialLines={initial} initialCustomer={c} />;
}

function EditOrder({ id }: { id: number }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['order', id], queryFn: ({ signal }) => ordersApi.get(id, signal), enabled: id > 0 });
  return (
    <QueryView query={query}>
      {(order) =>
        order.actions.editable ? (
          <OrderForm order={order} initialLines={linesFromOrder(order.items)} />
        ) : (
          <Alert type="warning" showIcon title={t('errors.order_not_editable')} />
        )
      }
    </QueryView>
  );
}
