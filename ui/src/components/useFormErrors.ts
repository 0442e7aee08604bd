import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serverFieldError } from '../lib/formErrors';

/**
 * Shows a failed save's error on the field the server named (422 details.field, or a
 * conflict such as sku_taken) when the form has that field; otherwise keeps it for an
 * Alert above the form.
 */
export function useFormErrors<T>(form: FormInstance<T>, fields: readonly string[]) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const onError = useCallback(
    (err: unknown) => {
      const fe = serverFieldError(err, t);
      if (fe && fields.includes(String(fe.name[0]))) {
        form.setFields([fe] as Parameters<typeof form.setFields>[0]);
        form.scrollToField(fe.name);
        setError(null);
      } else {
        setError(err);
      }
    },
    [form, fields, t],
  );
  const clear = useCallback(() => setError(null), []);
  return { error, onError, clear };
}
