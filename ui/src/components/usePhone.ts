import { Grid } from 'antd';

/**
 * Is the screen a phone's (< 576 px, antd's xs)? Lists then show each row as a small card
 * (one summary column, key numbers on the right) instead of columns that scroll sideways.
 */
export function usePhone(): boolean {
  return Grid.useBreakpoint().sm === false;
}
