export * from "./archiveTemplateSchema.ts";
export * from "./createTemplateSchema.ts";
export * from "./deleteTemplateSchema.ts";
export * from "./duplicateTemplateSchema.ts";
export * from "./listTemplatesSchema.ts";
export * from "./retrieveTemplateSchema.ts";
export * from "./unarchiveTemplateSchema.ts";
export * from "./updateTemplateSchema.ts";