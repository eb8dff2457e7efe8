export * from "./batchSendEmails.ts";
export * from "./retrieveEmail.ts";
export * from "./sendEmail.ts";