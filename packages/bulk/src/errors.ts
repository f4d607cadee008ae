/** Bad input to a bulk run (a missing folder, a broken manifest, clashing outputs): fix the command and run again. */
export class BulkUsageError extends Error {
  override readonly name = "BulkUsageError";
}
