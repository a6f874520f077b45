/** Offset paging for admin lists; limits are clamped so a caller cannot ask for everything. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const maxPageSize = 200;
export const defaultPageSize = 50;

export const pageBounds = (request: PageRequest = {}): { limit: number; offset: number } => ({
  limit: Math.min(maxPageSize, Math.max(1, Math.trunc(request.limit ?? defaultPageSize))),
  offset: Math.max(0, Math.trunc(request.offset ?? 0)),
});
