import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Flex, Form, Input, List, Modal, Popconfirm, Row, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRICE_LEVELS_KEY, priceLevelsApi } from '../../api/priceLevels';
import type { LevelPrice, PriceLevel } from '../../api/types';
import { useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorAlert, QueryView } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { useListParams } from '../../lib/listing';
import { isValidPrice, normalizePrice } from '../../lib/money';
import { atLeast } from '../../lib/roles';
import { useMoney } from '../../lib/shop';
import { ProductPicker } from '../orders/ProductPicker';
import type { Orderable } from '../../lib/orderLines';

interface LevelValues {
  name: string;
  discount_percent: string;
}

/** Create a level, or rename one and change its percentage off. */
function LevelModal({ level, onClose, onSaved }: { level?: PriceLevel; onClose: () => void; onSaved: (id: number) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LevelValues>();
  const errors = useFormErrors(form, ['name', 'discount_percent'] as const);
  const save = useMutation({
    mutationFn: (v: LevelValues) => {
      const body = { name: v.name.trim(), discount_percent: v.discount_percent.trim() || '0' };
      return level ? priceLevelsApi.update(level.id, body) : priceLevelsApi.create(body);
    },
    onSuccess: (l) => {
      onSaved(l.id);
      onClose();
    },
    onError: errors.onError,
  });
  return (
    <Modal
      open
      title={level ? t('priceLevels.editTitle') : t('priceLevels.newTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
    >
      {errors.error !== null && <ErrorAlert error={errors.error} />}
      <Form<LevelValues>
        form={form}
        layout="vertical"
        name="price-level"
        initialValues={level ? { name: level.name, discount_percent: level.discount_percent } : { discount_percent: '0' }}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item name="name" label={t('priceLevels.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={50} placeholder={t('priceLevels.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="discount_percent" label={t('priceLevels.discount')} extra={t('priceLevels.discountHint')}>
          <Input inputMode="decimal" suffix="%" maxLength={6} style={{ width: 140 }} data-testid="level-discount" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One level: its percentage off and the products it prices on their own. */
function LevelDetail({ id, admin, onDeleted }: { id: number; admin: boolean; onDeleted: () => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<Orderable | null>(null);
  const [price, setPrice] = useState('');
  const query = useQuery({ queryKey: [...PRICE_LEVELS_KEY, id], queryFn: ({ signal }) => priceLevelsApi.get(id, signal) });
  const refresh = () => void client.invalidateQueries({ queryKey: PRICE_LEVELS_KEY });
  const setOwn = useMutation({
    mutationFn: () => priceLevelsApi.setPrice(id, picked?.id ?? 0, normalizePrice(price)),
    onSuccess: () => {
      setPicked(null);
      setPrice('');
      refresh();
    },
  });
  const removeOwn = useMutation({ mutationFn: (productId: number) => priceLevelsApi.removePrice(id, productId), onSuccess: refresh });
  const remove = useMutation({
    mutationFn: () => priceLevelsApi.remove(id),
    onSuccess: () => {
      refresh();
      onDeleted();
    },
  });
  const columns: TableColumnsType<LevelPrice> = [
    { title: t('products.sku'), dataIndex: 'sku', key: 'sku' },
    { title: t('products.name'), dataIndex: 'name', key: 'name' },
    { title: t('priceLevels.regularPrice'), key: 'regular', align: 'right', render: (_v, p) => money(p.regular_price) },
    { title: t('priceLevels.levelPrice'), key: 'price', align: 'right', render: (_v, p) => <strong>{money(p.price)}</strong> },
    ...(admin
      ? [
          {
            key: 'remove',
            title: <span className="visually-hidden">{t('common.actions')}</span>,
            render: (_v: unknown, p: LevelPrice) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('priceLevels.removePrice', { name: p.name })}
                onClick={() => removeOwn.mutate(p.product_id)}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <QueryView query={query}>
      {(level) => (
        <Card
          title={level.name}
          data-testid="level-detail"
          extra={
            admin && (
              <Flex gap={8}>
                <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
                <Popconfirm
                  title={t('priceLevels.deleteConfirm', { n: level.customer_count })}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutate()}
                >
                  <Button danger>{t('common.delete')}</Button>
                </Popconfirm>
              </Flex>
            )
          }
        >
          <Typography.Paragraph>
            {t('priceLevels.summary', { off: level.discount_percent, n: level.customer_count })}
          </Typography.Paragraph>
          {(setOwn.error ?? removeOwn.error ?? remove.error) && <ErrorAlert error={setOwn.error ?? removeOwn.error ?? remove.error} />}
          {admin && (
            <Flex gap={8} wrap align="center" className="section">
              <div style={{ minWidth: 260, flex: 1 }}>
                {picked ? (
                  <Input value={picked.name} disabled aria-label={t('priceLevels.product')} />
                ) : (
                  <ProductPicker onPick={setPicked} />
                )}
              </div>
              <Input
                inputMode="decimal"
                placeholder={t('priceLevels.levelPrice')}
                aria-label={t('priceLevels.levelPrice')}
                value={price}
                onChange={(e) => setPrice(e.target.value)}
                style={{ width: 120 }}
                data-testid="level-price"
              />
              <Button
                type="primary"
                disabled={!picked || !isValidPrice(price)}
                loading={setOwn.isPending}
                onClick={() => setOwn.mutate()}
              >
                {t('priceLevels.setPrice')}
              </Button>
            </Flex>
          )}
          <Table<LevelPrice>
            rowKey="product_id"
            size="small"
            columns={columns}
            dataSource={level.prices}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState description={t('priceLevels.noPrices')} /> }}
            data-testid="level-prices"
          />
          {editing && <LevelModal level={level} onClose={() => setEditing(false)} onSaved={refresh} />}
        </Card>
      )}
    </QueryView>
  );
}

/** 会员价: the levels customers can belong to, and what each one charges. Admins change them. */
export default function PriceLevelsPage() {
  const { t } = useTranslation();
  const admin = atLeast(useUser().role, 'admin');
  const client = useQueryClient();
  const list = useListParams();
  const [creating, setCreating] = useState(false);
  const query = useQuery({ queryKey: PRICE_LEVELS_KEY, queryFn: ({ signal }) => priceLevelsApi.list(signal) });
  const selected = list.getInt('level');
  const select = (id: number | undefined) => list.set({ level: id });
  return (
    <>
      <PageHeader
        title={t('nav.priceLevels')}
        extra={
          admin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('priceLevels.new')}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t('priceLevels.help')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <QueryView query={query}>
            {(levels) => (
              <List<PriceLevel>
                bordered
                dataSource={levels}
                locale={{ emptyText: <EmptyState description={t('priceLevels.none')} /> }}
                data-testid="price-levels"
                renderItem={(l) => (
                  <List.Item
                    onClick={() => select(l.id)}
                    className={l.id === selected ? 'selected-row' : undefined}
                    style={{ cursor: 'pointer' }}
                  >
                    <List.Item.Meta
                      title={<a>{l.name}</a>}
                      description={t('priceLevels.summary', { off: l.discount_percent, n: l.customer_count })}
                    />
                  </List.Item>
                )}
              />
            )}
          </QueryView>
        </Col>
        <Col xs={24} md={16}>
          {selected ? (
            <LevelDetail key={selected} id={selected} admin={admin} onDeleted={() => select(undefined)} />
          ) : (
            <EmptyState description={t('priceLevels.pick')} />
          )}
        </Col>
      </Row>
      {creating && (
        <LevelModal
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            void client.invalidateQueries({ queryKey: PRICE_LEVELS_KEY });
            select(id);
          }}
        />
      )}
    </>
  );
}
