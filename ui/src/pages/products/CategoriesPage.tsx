import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { categoriesApi } from '../../api/categories';
import { ApiError } from '../../api/client';
import type { Category, CategoryPatch } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorAlert, QueryView } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { categoryTree, describeCatalogueError, parentChoices } from '../../lib/categories';
import type { CategoryNode } from '../../lib/categories';
import { useCategories } from './CategorySelect';

/** A row of the tree table: a category and, for a top-level one, those under it. */
interface Row {
  key: number;
  category: Category;
  children?: Row[];
}

function toRow(n: CategoryNode): Row {
  return n.children.length > 0
    ? { key: n.category.id, category: n.category, children: n.children.map(toRow) }
    : { key: n.category.id, category: n.category };
}

/** What the modal does: add a category (under `parent`, or top-level), or edit one. */
type Editing = { kind: 'new'; parent: Category | null } | { kind: 'edit'; category: Category };

/** Staff: the product categories as a two-level tree; add, rename, move, delete. */
export default function CategoriesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useCategories();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const rows = useMemo(() => categoryTree(query.list).map(toRow), [query.list]);

  const remove = useMutation({
    mutationFn: (c: Category) => categoriesApi.remove(c.id),
    onSuccess: () => {
      setProblem(null);
      void message.success(t('categories.deleted'));
    },
    // 409 category_in_use: what it still holds, as the server counted it.
    onError: (err) => setProblem(describeCatalogueError(err, t)),
  });

  const columns: TableColumnsType<Row> = [
    {
      title: t('categories.name'),
      key: 'name',
      render: (_v, r) => (
        <>
          <span data-testid="category-name">{r.category.name}</span>
          {r.children && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {t('categories.subCategories', { count: r.children.length })}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('nav.products'),
      key: 'products',
      align: 'right',
      render: (_v, r) => (
        <Link
          to={`/products?category_id=${r.category.id}`}
          aria-label={`${r.category.name}: ${t('categories.products', { count: r.category.product_count })}`}
        >
          {r.category.product_count}
        </Link>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, r) => {
        const c = r.category;
        const topLevel = c.parent_id === null || c.parent_id === undefined;
        return (
          <Space size={0} wrap>
            {topLevel && (
              <Button type="link" size="small" onClick={() => setEditing({ kind: 'new', parent: c })} data-testid="category-add-child">
                {t('categories.addChild')}
              </Button>
            )}
            <Button type="link" size="small" onClick={() => setEditing({ kind: 'edit', category: c })} data-testid="category-edit">
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('categories.deleteConfirm', { name: c.name })}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() => remove.mutateAsync(c).catch(() => undefined)}
            >
              <Button
                type="link"
                size="small"
                danger
                loading={remove.isPending && remove.variables?.id === c.id}
                data-testid="category-delete"
              >
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.categories')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'new', parent: null })} data-testid="category-add">
            {t('categories.add')}
          </Button>
        }
      />
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={problem}
          className="toolbar"
          closable={{ onClose: () => setProblem(null) }}
          data-testid="category-error"
        />
      )}
      <QueryView
        query={query}
        isEmpty={(list) => list.length === 0}
        empty={
          <Card>
            <EmptyState
              description={
                <>
                  <Typography.Paragraph>{t('categories.empty')}</Typography.Paragraph>
                  <Typography.Text type="secondary">{t('categories.emptyHint')}</Typography.Text>
                </>
              }
            />
          </Card>
        }
      >
        {() => (
          <Table<Row>
            rowKey="key"
            size="middle"
            columns={columns}
            dataSource={rows}
            pagination={false}
            expandable={{ defaultExpandAllRows: true }}
            loading={query.isFetching}
            data-testid="categories-table"
          />
        )}
      </QueryView>
      {editing && <CategoryModal editing={editing} categories={query.list} onClose={() => setEditing(null)} />}
    </>
  );
}

interface Values {
  name: string;
  /** 0: top-level. */
  parent: number;
}

const FIELDS = ['name', 'parent_id'] as const;
const TOP = 0;

/** Add a category, or rename and/or move one (under another top-level category, or to the top). */
function CategoryModal({ editing, categories, onClose }: { editing: Editing; categories: Category[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const errors = useFormErrors(form, FIELDS);
  const current = editing.kind === 'edit' ? editing.category : null;
  const choices = parentChoices(categories, current?.id);
  const hasChildren = current !== null && categories.some((c) => c.parent_id === current.id);
  const initial: Values =
    editing.kind === 'edit'
      ? { name: editing.category.name, parent: editing.category.parent_id ?? TOP }
      : { name: '', parent: editing.parent?.id ?? TOP };

  const save = useMutation({
    mutationFn: (v: Values) => {
      const name = v.name.trim();
      const parent_id = v.parent === TOP ? null : v.parent;
      if (!current) return categoriesApi.create({ name, parent_id });
      const patch: CategoryPatch = {};
      if (name !== current.name) patch.name = name;
      if (parent_id !== (current.parent_id ?? null)) patch.parent_id = parent_id;
      return Object.keys(patch).length > 0 ? categoriesApi.update(current.id, patch) : Promise.resolve(current);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (err: unknown) => {
      // The name (taken, "/", too long) and the parent (too deep...) on their field, in the UI language.
      const field = err instanceof ApiError ? (err.code === 'category_taken' ? 'name' : err.field) : undefined;
      if (field === 'name' || field === 'parent_id') {
        form.setFields([{ name: field === 'name' ? 'name' : 'parent', errors: [describeCatalogueError(err, t)] }]);
        errors.clear();
        return;
      }
      errors.onError(err);
    },
  });

  const title =
    editing.kind === 'edit'
      ? t('categories.editTitle', { name: editing.category.name })
      : editing.parent
        ? t('categories.addChildTitle', { parent: editing.parent.name })
        : t('categories.addTitle');

  return (
    <Modal
      open
      title={title}
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
        name="category"
        initialValues={initial}
        preserve={false}
        onFinish={(v) => {
          errors.clear();
          save.mutate(v);
        }}
      >
        <Form.Item
          name="name"
          label={t('categories.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            { pattern: /^[^/]*$/, message: t('categories.noSlash') },
          ]}
        >
          <Input maxLength={40} autoFocus />
        </Form.Item>
        <Form.Item
          name="parent"
          label={t('categories.parent')}
          extra={hasChildren ? t('categories.mustStayTop') : t('categories.parentHint')}
        >
          <Select<number>
            disabled={hasChildren}
            options={[
              { value: TOP, label: t('categories.topLevel') },
              ...choices.map((c) => ({ value: c.id, label: c.name })),
            ]}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="category-parent"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
