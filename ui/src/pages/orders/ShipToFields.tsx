import { Col, Form, Input, Row } from 'antd';
import { useTranslation } from 'react-i18next';

/** The parts of an address, under `prefix` in a form (name, phone, province, city, district, street, postcode). */
export function ShipToFields({ prefix, requireStreet = false }: { prefix?: string; requireStreet?: boolean }) {
  const { t } = useTranslation();
  const name = (n: string) => (prefix ? [prefix, n] : n);
  const required = requireStreet ? [{ required: true, whitespace: true, message: t('validation.required') }] : [];
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name={name('name')} label={t('shipping.recipient')} rules={required}>
            <Input maxLength={50} autoComplete="off" data-testid="ship-to-name" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name={name('phone')} label={t('shipping.phone')}>
            <Input maxLength={30} inputMode="tel" autoComplete="off" data-testid="ship-to-phone" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} sm={8}>
          <Form.Item name={name('province')} label={t('shipping.province')}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name={name('city')} label={t('shipping.city')}>
            <Input maxLength={30} autoComplete="off" data-testid="ship-to-city" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name={name('district')} label={t('shipping.district')}>
            <Input maxLength={30} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} sm={16}>
          <Form.Item name={name('street')} label={t('shipping.street')} rules={required}>
            <Input maxLength={200} autoComplete="off" data-testid="ship-to-street" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name={name('postcode')} label={t('shipping.postcode')}>
            <Input maxLength={10} inputMode="numeric" autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** Blank parts left out, the rest trimmed: what the server stores. */
export function cleanShipTo<T extends Record<string, unknown>>(v: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = typeof x === 'string' ? x.trim() || null : x;
  }
  return out as T;
}
