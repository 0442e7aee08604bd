import { apiRequest } from './client';
import type { Category, CategoryPatch, NewCategory } from './types';

/** The query key of the category list (every signed-in user may read it). */
export const CATEGORIES_KEY = ['categories'] as const;

export const categoriesApi = {
  /** Every category: each top-level one followed by those under it, by pinyin. */
  list: (signal?: AbortSignal) => apiRequest<Category[]>('/api/categories', { signal }),
  create: (body: NewCategory) => apiRequest<Category>('/api/categories', { method: 'POST', body }),
  update: (id: number, body: CategoryPatch) =>
    apiRequest<Category>(`/api/categories/${id}`, { method: 'PATCH', body }),
  /** 409 category_in_use while it still holds products or sub-categories. */
  remove: (id: number) => apiRequest<void>(`/api/categories/${id}`, { method: 'DELETE' }),
};
