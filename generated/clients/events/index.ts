export * from "./events.ts";
export * from "./trackEvent.ts";