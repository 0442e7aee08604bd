import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title with its actions on the right (wrapping under it on a phone). */
export function PageHeader({ title, extra, back }: { title: ReactNode; extra?: ReactNode; back?: ReactNode }) {
  return (
    <Flex className="page-header no-print" justify="space-between" align="center" wrap gap={8}>
      <Flex align="center" gap={8} wrap>
        {back}
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      </Flex>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
