/**
 * `tradewire order list | head -1`: once the reader has what it wants it closes the pipe, and the
 * next write fails with EPIPE. That is the reader's choice, not a failure: stop at once, quietly,
 * with success. Any other stream error still surfaces.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): () => void {
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  };
  stream.on('error', onError);
  return () => stream.off('error', onError);
}
