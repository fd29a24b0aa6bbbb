/** The one error shape every admin route answers with: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

export function apiError(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}
