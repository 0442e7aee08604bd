import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { LANGS, LANG_NAMES, isLang } from '../i18n/lang';

export function LangSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('common.language')}
      data-testid="lang-switch"
      value={isLang(i18n.language) ? i18n.language : 'zh-CN'}
      onChange={(v: string) => {
        if (isLang(v)) changeLanguage(v);
      }}
      options={LANGS.map((l) => ({ value: l, label: LANG_NAMES[l] }))}
      style={{ width: 104 }}
      variant="outlined"
    />
  );
}
