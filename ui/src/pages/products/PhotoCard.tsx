import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Image, Popconfirm, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PHOTO_MAX_BYTES, productsApi } from '../../api/products';
import type { Product } from '../../api/types';
import { PHOTO_ACCEPT, checkPhotoFile, describeCatalogueError } from '../../lib/categories';

/**
 * A product's photo: preview, upload or replace (the file itself is PUT; the server reads its
 * type from its bytes), remove. The <img> is same-origin, so the session cookie goes with it.
 */
export function PhotoCard({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const saved = (p: Product) => client.setQueryData(['product', p.id], p);
  const upload = useMutation({
    mutationFn: (file: Blob) => productsApi.putPhoto(product.id, file),
    onSuccess: (p) => {
      saved(p);
      void message.success(t('products.photoSaved'));
    },
    onError: (err) => setProblem(describeCatalogueError(err, t)),
  });
  const remove = useMutation({
    mutationFn: () => productsApi.removePhoto(product.id),
    onSuccess: (p) => {
      saved(p);
      void message.success(t('products.photoRemoved'));
    },
    onError: (err) => setProblem(describeCatalogueError(err, t)),
  });
  const src = product.photo_url ?? null;

  return (
    <Card title={t('products.photo')} className="section" data-testid="photo-card">
      <Typography.Paragraph type="secondary">
        {t('products.photoHint', { mb: PHOTO_MAX_BYTES / (1024 * 1024) })}
      </Typography.Paragraph>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={problem}
          className="toolbar"
          closable={{ onClose: () => setProblem(null) }}
          data-testid="photo-error"
        />
      )}
      {src ? (
        <div className="toolbar">
          <Image
            src={src}
            alt={t('products.photoAlt', { name: product.name })}
            width={240}
            style={{ maxHeight: 240, objectFit: 'contain' }}
            data-testid="product-photo"
          />
        </div>
      ) : (
        <Typography.Paragraph data-testid="photo-none">{t('products.noPhoto')}</Typography.Paragraph>
      )}
      <Flex gap={8} wrap>
        <Upload
          accept={PHOTO_ACCEPT}
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            setProblem(null);
            const refused = checkPhotoFile(file, t);
            if (refused) {
              setProblem(refused);
              return Upload.LIST_IGNORE;
            }
            return true;
          }}
          customRequest={({ file, onSuccess, onError }) => {
            if (!(file instanceof Blob)) return;
            upload.mutate(file, {
              onSuccess: (p) => onSuccess?.(p),
              onError: (err) => onError?.(err instanceof Error ? err : new Error(String(err))),
            });
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="photo-upload">
            {src ? t('products.replacePhoto') : t('products.uploadPhoto')}
          </Button>
        </Upload>
        {src && (
          <Popconfirm
            title={t('products.removePhotoConfirm')}
            okText={t('products.removePhoto')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutateAsync().catch(() => undefined)}
          >
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="photo-remove">
              {t('products.removePhoto')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </Card>
  );
}
