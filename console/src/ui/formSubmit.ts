import { useState } from 'preact/hooks';
import { fieldErrors } from './fieldErrors.ts';

/**
 * A dialog form's submit: `action` makes the request and says what came of it. The form is busy
 * while it runs; a failure stays for the form to show, next to the field the API named if any.
 */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, problems: fieldErrors(error) };
}
