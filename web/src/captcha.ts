/** AWS WAF's CAPTCHA JavaScript API, as its script (`<integration URL>/jsapi.js`) defines it. */
interface AwsWafCaptcha {
  renderCaptcha(container: HTMLElement, options: { apiKey: string; onSuccess: (wafToken: string) => void; onError: (error: unknown) => void }): void;
}

let loading: Promise<AwsWafCaptcha> | undefined;

function load(scriptUrl: string): Promise<AwsWafCaptcha> {
  loading ??= new Promise<AwsWafCaptcha>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = scriptUrl;
    script.async = true;
    script.onload = () => {
      const api = (window as unknown as { AwsWafCaptcha?: AwsWafCaptcha }).AwsWafCaptcha;
      if (api) resolve(api);
      else reject(new Error('the CAPTCHA script did not define AwsWafCaptcha'));
    };
    script.onerror = () => reject(new Error('the CAPTCHA script did not load'));
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Shows WAF's puzzle in `container` and resolves with its token once solved. A fetch cannot show WAF's own
 * interstitial, so the page renders the puzzle itself before joining a queue, and sends the token as a header.
 */
export async function solveCaptcha(container: HTMLElement, captcha: { scriptUrl: string; apiKey: string }): Promise<string> {
  const api = await load(captcha.scriptUrl);
  return new Promise<string>((resolve, reject) => {
    api.renderCaptcha(container, { apiKey: captcha.apiKey, onSuccess: resolve, onError: reject });
  });
}
