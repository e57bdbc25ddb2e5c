/**
 * The buyer page's Content-Security-Policy, one string for both ways it is served: by the API
 * (app/http/middleware/html-security-headers.ts, `npm start`) and by CloudFront from the bucket (constructs/site-response-headers.ts);
 * it lives in shared/ because constructs/ never imports app/.
 * Posters come from the S3 / CloudFront URL the API returns, so images may be cross-origin.
 */
export const siteContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https: http:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The policy with AWS WAF's CAPTCHA integration allowed, when the deployment names its script
 * (WAF_CAPTCHA_SCRIPT_URL): the script and the calls it makes come from the integration's origin.
 * CloudFront's response headers policy must say the same (the CDK side of the waiting room).
 */
export function contentSecurityPolicyWithCaptcha(captchaScriptUrl: string | undefined): string {
  if (!captchaScriptUrl) return siteContentSecurityPolicy;
  const origin = new URL(captchaScriptUrl).origin;
  return siteContentSecurityPolicy
    .replace("script-src 'self'", `script-src 'self' ${origin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${origin}`);
}
