import { useTranslation } from 'react-i18next';
import { logoUrl } from '../api/admin';
import { useSettings } from '../lib/shop';

/** The top of a printed page (inside .slip): the shop's logo, name, address and phone, then the page's title. */
export function PrintHeader({ title }: { title: string }) {
  const { t } = useTranslation();
  const shop = useSettings().data;
  const logo = logoUrl(shop);
  const contact = [shop?.business_address, shop?.business_phone].filter(Boolean).join('\n');
  return (
    <header>
      <div className="slip-shop">
        {logo && <img src={logo} alt="" className="slip-logo" data-testid="slip-logo" />}
        <div>
          <h1>{shop?.business_name ?? t('app.title')}</h1>
          {contact && (
            <p className="slip-contact" data-testid="slip-contact">
              {contact}
            </p>
          )}
        </div>
      </div>
      <h2>{title}</h2>
    </header>
  );
}
