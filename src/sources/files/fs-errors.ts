// File-system and stream failures as sentences: a responder reads "permission denied", not
// "EACCES: permission denied, open '/…'" (Node's message repeats the path and the syscall).
// Codes: https://nodejs.org/api/errors.html#common-system-errors

const SENTENCES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ELOOP: 'a symbolic link loop (following the links leads back to the start)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'a directory where a file was expected',
  EMFILE: 'too many open files (raise the limit with ulimit -n and import again)',
  ENFILE: 'too many open files on this system',
  EIO: 'an I/O error reading the disk',
  ENAMETOOLONG: 'the path is too long',
};

/** One sentence for an I/O failure; unknown failures get a generic wording, never raw text. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && SENTENCES[code]) return SENTENCES[code];
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
    ? `could not be read (system error ${code})`
    : 'could not be read (an unexpected error)';
}
