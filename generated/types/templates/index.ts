export type * from "./ArchiveTemplate.ts";
export type * from "./CreateTemplate.ts";
export type * from "./DeleteTemplate.ts";
export type * from "./DuplicateTemplate.ts";
export type * from "./ListTemplates.ts";
export type * from "./RetrieveTemplate.ts";
export type * from "./UnarchiveTemplate.ts";
export type * from "./UpdateTemplate.ts";