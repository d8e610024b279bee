/** Where a running app's embedded sandbox writes its address (`{ url, pid }`), next to its state file. */
export function sandboxAddressFile(stateFile: string): string {
  return `${stateFile.replace(/\.jsonl$/, '')}.address.json`;
}
