/** Says something politely through the page's live region (screen readers read it once). */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Clearing first makes the same sentence announced again when it repeats.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}
