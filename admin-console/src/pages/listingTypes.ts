export interface Task {
  taskId: string; taskCode: string; categoryId: string; title: string; status: number; statusName: string;
  sourceType: string; sourceUserType: string; shopId: string | null; itemData: Record<string, unknown>; version: number;
  auditType: string | null; auditComment: string | null; createdBy: string; createdAt: string; updatedAt: string;
  itemId: string | null; errorMessage: string | null; allowedActions?: string[];
}
export interface PageOf<T> { items: T[]; page: number; size: number; total: number }

// The actions the listing's state allows now come from the API (GET /listings/{id} answers
// allowedActions: the action paths and "edit"; none for a caller who may only read). The
// buttons are those action paths; editing is the form's business.
export function buttonActions(t: Task): string[] {
  return (t.allowedActions ?? []).filter((a) => a !== 'edit');
}
