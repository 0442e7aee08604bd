import { BarcodeOutlined, LoadingOutlined } from '@ant-design/icons';
import { Flex, Input, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { productsApi } from '../api/products';
import { describeError } from '../lib/errors';
import { scanCode } from '../lib/scan';
import type { ScannedProduct } from '../lib/scan';

export interface ScanFieldProps {
  /**
   * A product was found. Return a message to refuse it (shown like "not found", the code kept
   * and selected); return nothing to take it (the field is cleared for the next scan).
   */
  onProduct: (p: ScannedProduct) => string | null | undefined | void;
  /** The accessible name; t('scan.label') by default. */
  label?: string;
  placeholder?: string;
  /** A line under the field (what a scan does here). */
  hint?: string;
  autoFocus?: boolean;
  style?: CSSProperties;
  testId?: string;
}

/**
 * A code box for a USB barcode scanner (it types the code, then Enter) or a phone keyboard
 * (type, then Enter or Go): Enter looks the code up by barcode or SKU. Found: onProduct gets
 * the product and the box empties, keeping focus for the next scan. Not found: an error under
 * the box and the code stays, selected, to be corrected. Enter does nothing on an empty box
 * or while a lookup is under way, and never submits a surrounding form.
 */
export function ScanField({
  onProduct,
  label,
  placeholder,
  hint,
  autoFocus,
  style,
  testId = 'scan-field',
}: ScanFieldProps) {
  const { t } = useTranslation();
  const input = useRef<InputRef>(null);
  const busy = useRef(false);
  // Typing through an IME (pinyin): its Enter picks the text, it is not a scan. Safari sends
  // that keydown just after compositionend, so the flag drops a moment later.
  const composing = useRef(false);
  const inFlight = useRef<AbortController | null>(null);
  const [value, setValue] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<string | null>(null);
  const messageId = useId();

  // A lookup still under way when the field goes away is dropped.
  useEffect(() => () => inFlight.current?.abort(), []);

  const refuse = (message: string) => {
    setError(message);
    setFound(null);
    input.current?.focus({ cursor: 'all' });
  };

  const lookUp = async (code: string) => {
    busy.current = true;
    setPending(true);
    setError(null);
    const ctrl = new AbortController();
    inFlight.current = ctrl;
    try {
      const product = await productsApi.byCode(code, ctrl.signal);
      const refusal = onProduct(product);
      if (typeof refusal === 'string' && refusal) {
        refuse(refusal);
      } else {
        setValue('');
        setFound(t('scan.found', { name: product.name }));
        input.current?.focus();
      }
    } catch (err) {
      if (ctrl.signal.aborted) return;
      refuse(err instanceof ApiError && err.status === 404 ? t('scan.notFound', { code }) : describeError(err, t));
    } finally {
      busy.current = false;
      if (inFlight.current === ctrl) inFlight.current = null;
      setPending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || composing.current) return;
    e.preventDefault();
    if (busy.current) return;
    const code = scanCode(e.currentTarget.value);
    if (!code) {
      setValue('');
      return;
    }
    void lookUp(code);
  };

  const message = error ?? found ?? hint;
  return (
    <Flex vertical gap={2} style={style} data-testid={testId}>
      <Input
        ref={input}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          setTimeout(() => {
            composing.current = false;
          }, 0);
        }}
        prefix={<BarcodeOutlined aria-hidden />}
        // Always a suffix: adding one later would remount the input and lose its focus.
        suffix={pending ? <LoadingOutlined aria-label={t('scan.looking')} /> : <span />}
        placeholder={placeholder ?? t('scan.placeholder')}
        aria-label={label ?? t('scan.label')}
        aria-invalid={error ? true : undefined}
        aria-describedby={message ? messageId : undefined}
        aria-busy={pending || undefined}
        status={error ? 'error' : undefined}
        autoFocus={autoFocus}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        inputMode="text"
        enterKeyHint="search"
        maxLength={128}
        data-testid={`${testId}-input`}
      />
      {message && (
        <Typography.Text
          id={messageId}
          type={error ? 'danger' : 'secondary'}
          className="hint"
          role={error ? 'alert' : 'status'}
          data-testid={error ? `${testId}-error` : `${testId}-message`}
        >
          {message}
        </Typography.Text>
      )}
    </Flex>
  );
}
