import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, List, Modal, Popconfirm, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shippingApi } from '../../api/shipping';
import type { Address, AddressInput } from '../../api/types';
import { EmptyState, ErrorAlert } from '../../components/States';
import { describeError } from '../../lib/errors';
import { addressLine } from '../../lib/goods';
import { ShipToFields, cleanShipTo } from '../orders/ShipToFields';

/** A customer's saved addresses (收货地址): the default first; new orders start from it. */
export function AddressesCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const key = ['addresses', customerId];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => shippingApi.addresses(customerId, signal) });
  const [editing, setEditing] = useState<Address | 'new' | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: key });
  const remove = useMutation({
    mutationFn: (id: number) => shippingApi.deleteAddress(customerId, id),
    onSuccess: refresh,
    onError: (err) => void message.error(describeError(err, t)),
  });
  return (
    <Card
      size="small"
      className="section"
      title={t('customers.addresses')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="add-address">
          {t('customers.addAddress')}
        </Button>
      }
    >
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <List
        size="small"
        dataSource={query.data ?? []}
        loading={query.isFetching}
        locale={{ emptyText: <EmptyState description={t('customers.noAddresses')} /> }}
        data-testid="addresses"
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button key="edit" type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(a)} aria-label={t('common.edit')} />,
              <Popconfirm key="del" title={t('customers.removeAddressConfirm')} onConfirm={() => remove.mutate(a.id)}>
                <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>,
            ]}
          >
            <Space orientation="vertical" size={0}>
              <span>
                {a.is_default && <Tag color="blue">{t('customers.defaultAddress')}</Tag>}
                {a.label && <Tag>{a.label}</Tag>}
                <strong>{a.name}</strong> {a.phone}
              </span>
              <span>
                {addressLine(a)} {a.postcode}
              </span>
            </Space>
          </List.Item>
        )}
      />
      {editing && (
        <AddressModal
          customerId={customerId}
          address={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

function AddressModal({
  customerId,
  address,
  onClose,
  onDone,
}: {
  customerId: number;
  address: Address | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AddressInput>();
  const save = useMutation({
    mutationFn: (body: AddressInput) =>
      address ? shippingApi.updateAddress(customerId, address.id, body) : shippingApi.addAddress(customerId, body),
    onSuccess: onDone,
  });
  return (
    <Modal
      open
      title={address ? t('customers.editAddress') : t('customers.addAddress')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
    >
      {save.isError && <ErrorAlert error={save.error} />}
      <Form<AddressInput>
        form={form}
        layout="vertical"
        initialValues={address ?? { is_default: false }}
        onFinish={(v) => save.mutate({ ...cleanShipTo(v), is_default: !!v.is_default })}
      >
        <Form.Item name="label" label={t('customers.addressLabel')}>
          <Input maxLength={20} style={{ maxWidth: 200 }} />
        </Form.Item>
        <ShipToFields requireStreet />
        <Form.Item name="is_default" valuePropName="checked">
          <Checkbox>{t('customers.makeDefault')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
