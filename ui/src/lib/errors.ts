// Turns a failed request into text for the user, in the UI language. Known server error
// codes are translated (with their details filled in); unknown ones fall back to the
// server's own (English) message, and failures without a server body to a status text.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { stripFieldPrefix } from './fields';
import { methodLabel } from './payments';

export const KNOWN_ERROR_CODES = [
  'invalid_credentials',
  'account_disabled',
  'password_change_required',
  'insufficient_stock',
  'invalid_transition',
  'sku_taken',
  'username_taken',
  'login_taken',
  'order_not_editable',
  'own_account',
  'user_in_use',
  'csrf_rejected',
  'validation_failed',
  'forbidden',
  'not_found',
  'unauthorized',
  'too_many_requests',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'storage_full',
  'service_unavailable',
  'internal_error',
  'request_timeout',
  'bad_request',
  'network_error',
  'bad_response',
  'invalid_csv',
  'bad_encoding',
  'already_imported',
  'interrupted',
  'maintenance',
  'overpayment',
  'order_cancelled',
  'refund_exceeds_paid',
  'already_voided',
  'not_voidable',
  'refund_first',
  'already_in_status',
  'partly_shipped',
  'order_not_confirmed',
  'already_shipped',
  'nothing_to_ship',
  'more_than_ordered',
  'order_not_shipped',
  'already_returned',
  'more_than_shipped',
  'too_many_addresses',
] as const;
export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];

export function isKnownErrorCode(code: string): code is KnownErrorCode {
  return (KNOWN_ERROR_CODES as readonly string[]).includes(code);
}

type Rule = [RegExp, (m: RegExpExecArray, t: TFunction) => string];

/** The server's validation messages (English), in the UI language. */
const VALIDATION_RULES: Rule[] = [
  [/^must not be empty$/, (_m, t) => t('validation.empty')],
  [/^must be at most (\d+) characters$/, (m, t) => t('validation.maxChars', { n: m[1] })],
  [/^must be at least (\d+) characters$/, (m, t) => t('validation.minChars', { n: m[1] })],
  [/^must be (\d+) to (\d+) characters$/, (m, t) => t('validation.charRange', { min: m[1], max: m[2] })],
  [/^must be at most (\d+) bytes.*$/, (m, t) => t('validation.maxBytes', { n: m[1] })],
  [/^must be between (-?\d+) and (-?\d+)$/, (m, t) => t('validation.between', { min: m[1], max: m[2] })],
  [/^must not be negative$/, (_m, t) => t('validation.notNegative')],
  [/^must be a whole number$/, (_m, t) => t('validation.wholeNumber')],
  [/^must not contain spaces$/, (_m, t) => t('validation.noSpaces')],
  [/^must not contain control characters$/, (_m, t) => t('validation.controlChars')],
  [/^is not correct$/, (_m, t) => t('validation.incorrect')],
  [/^must differ from the current password$/, (_m, t) => t('validation.samePassword')],
  [/^must not be the same as the username$/, (_m, t) => t('validation.sameAsUsername')],
  [/^no such product$/, (_m, t) => t('validation.noSuchProduct')],
  [/^no such customer$/, (_m, t) => t('validation.noSuchCustomer')],
  [/^no such user$/, (_m, t) => t('validation.noSuchUser')],
  [/^must be after date_from$/, (_m, t) => t('validation.dateOrder')],
  [/^an order needs at least one item$/, (_m, t) => t('validation.needItems')],
  [/^(.+) is archived and cannot be ordered$/, (m, t) => t('validation.archivedProduct', { name: m[1] })],
  [/^must be at most (\d+(?:\.\d+)?)$/, (m, t) => t('validation.atMost', { n: m[1] })],
  [/^is too large$/, (_m, t) => t('validation.tooLarge')],
  [/^must be a decimal amount like "([^"]*)"$/, (m, t) => t('validation.decimal', { example: m[1] })],
  [/^must have at most (\d+) decimal places$/, (m, t) => t('validation.decimalPlaces', { n: m[1] })],
  [/^must be an email address like (\S+)$/, (m, t) => t('validation.emailLike', { example: m[1] })],
  [/^may contain only digits, spaces and (.+)$/, (m, t) => t('validation.phoneChars', { chars: m[1] })],
  [/^must not contain text-direction control characters/, (_m, t) => t('validation.bidiChars')],
  // CSV imports: the file's header and rows.
  [/^this column appears twice$/, (_m, t) => t('validation.columnTwice')],
  [/^unknown column; the columns are (.+)$/, (m, t) => t('validation.unknownColumn', { columns: m[1] })],
  [/^this required column is missing$/, (_m, t) => t('validation.columnMissing')],
  [/^SKU (.+) already appears on line (\d+)$/, (m, t) => t('validation.skuRepeated', { sku: m[1], line: m[2] })],
  [/^must be active or archived$/, (_m, t) => t('validation.productStatus')],
  [
    /^this row has (\d+) cells but the header has (\d+)$/,
    (m, t) => t('validation.cellCount', { cells: m[1], header: m[2] }),
  ],
  [/^unreadable CSV: (.+)$/, (m, t) => t('validation.unreadableCsv', { detail: m[1] })],
  // The shop's logo.
  [/^the logo must be a PNG, JPEG or WebP image$/, (_m, t) => t('validation.logoType')],
  [/^the file is empty$/, (_m, t) => t('validation.fileEmpty')],
  // Payments.
  [/^must be more than zero$/, (_m, t) => t('validation.moreThanZero')],
  [/^is larger than any order can be$/, (_m, t) => t('validation.amountTooLarge')],
  [/^cannot be in the future$/, (_m, t) => t('validation.notFuture')],
  [/^must be in the year 2000 or later$/, (_m, t) => t('validation.since2000')],
  [/^must be a time such as (\S+)$/, (m, t) => t('validation.timeLike', { example: m[1] })],
  [/^say why the money goes back$/, (_m, t) => t('validation.refundReason')],
  [/^say why the entry was wrong$/, (_m, t) => t('validation.voidReason')],
  [
    /^must be one of the shop's payment methods: (.*)$/,
    (m, t) =>
      t('validation.paymentMethod', {
        methods: (m[1] ?? '')
          .split(', ')
          .map((x) => methodLabel(x, t))
          .join(t('audit.listSeparator')),
      }),
  ],
  [/^must list (\d+) to (\d+) methods$/, (m, t) => t('validation.methodCount', { min: m[1], max: m[2] })],
  [/^"(.*)" is listed twice$/, (m, t) => t('validation.listedTwice', { name: methodLabel(m[1] ?? '', t) })],
];

/** One validation message from the server, translated when we know it. */
export function translateValidation(message: string, t: TFunction): string {
  for (const [re, fmt] of VALIDATION_RULES) {
    const m = re.exec(message);
    if (m) return fmt(m, t);
  }
  return message;
}

/** The message to show next to the field the server blamed. */
export function fieldErrorText(err: ApiError, t: TFunction): string {
  const field = err.field;
  if (err.code === 'validation_failed' && field) return translateValidation(stripFieldPrefix(err.message, field), t);
  return describeError(err, t);
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** Text to show for a failed request. */
export function describeError(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const d = err.details;
  if (err.code === 'validation_failed' && err.field) {
    const msg = translateValidation(stripFieldPrefix(err.message, err.field), t);
    return t('errors.validation_field', { field: err.field, message: msg });
  }
  if (err.code === 'insufficient_stock') {
    return t('errors.insufficient_stock', {
      name: str(d['name']),
      sku: str(d['sku']),
      requested: str(d['requested']),
      available: str(d['available']),
    });
  }
  if (err.code === 'invalid_csv') {
    return typeof d['error_count'] === 'number'
      ? t('errors.invalid_csv', { n: d['error_count'] })
      : t('errors.invalid_csv_file');
  }
  if (err.code === 'overpayment') return t('errors.overpayment', { balance: str(d['balance_due']) });
  if (err.code === 'order_cancelled') return t('errors.order_cancelled', { refund: str(d['refund_due']) });
  if (err.code === 'refund_exceeds_paid') return t('errors.refund_exceeds_paid', { paid: str(d['paid_amount']) });
  if (err.code === 'more_than_ordered' && d['left_to_ship'] !== undefined) {
    return t('errors.more_than_ordered_left', { n: str(d['left_to_ship']) });
  }
  if (err.code === 'more_than_shipped' && d['returnable'] !== undefined) {
    return t('errors.more_than_shipped_left', { n: str(d['returnable']) });
  }
  if (err.code === 'too_many_requests' && typeof d['retry_after_secs'] === 'number') {
    return t('errors.too_many_requests_wait', { seconds: d['retry_after_secs'] });
  }
  if (isKnownErrorCode(err.code)) return t(`errors.${err.code}`);
  if (err.fromServer) return err.message;
  if (err.status >= 500) return t('errors.server_error', { status: err.status });
  return t('errors.http', { status: err.status });
}
