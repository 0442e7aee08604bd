import { apiRequest } from './client';
import type { Money, PriceLevel, PriceLevelDetail } from './types';

export const PRICE_LEVELS_KEY = ['price-levels'] as const;

export const priceLevelsApi = {
  list: (signal?: AbortSignal) => apiRequest<PriceLevel[]>('/api/price-levels', { signal }),
  get: (id: number, signal?: AbortSignal) => apiRequest<PriceLevelDetail>(`/api/price-levels/${id}`, { signal }),
  create: (body: { name: string; discount_percent: string }) =>
    apiRequest<PriceLevelDetail>('/api/price-levels', { method: 'POST', body }),
  update: (id: number, body: { name?: string; discount_percent?: string }) =>
    apiRequest<PriceLevelDetail>(`/api/price-levels/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => apiRequest<void>(`/api/price-levels/${id}`, { method: 'DELETE' }),
  setPrice: (id: number, productId: number, price: Money) =>
    apiRequest<PriceLevelDetail>(`/api/price-levels/${id}/prices/${productId}`, { method: 'PUT', body: { price } }),
  removePrice: (id: number, productId: number) =>
    apiRequest<PriceLevelDetail>(`/api/price-levels/${id}/prices/${productId}`, { method: 'DELETE' }),
};
