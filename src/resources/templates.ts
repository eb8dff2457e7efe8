import { archiveTemplate } from '../../generated/clients/templates/archiveTemplate.ts'
import { createTemplate } from '../../generated/clients/templates/createTemplate.ts'
import { deleteTemplate } from '../../generated/clients/templates/deleteTemplate.ts'
import { duplicateTemplate } from '../../generated/clients/templates/duplicateTemplate.ts'
import { listTemplates } from '../../generated/clients/templates/listTemplates.ts'
import { retrieveTemplate } from '../../generated/clients/templates/retrieveTemplate.ts'
import { unarchiveTemplate } from '../../generated/clients/templates/unarchiveTemplate.ts'
import { updateTemplate } from '../../generated/clients/templates/updateTemplate.ts'
import type { CreateTemplateRequest } from '../../generated/types/CreateTemplateRequest.ts'
import type { DuplicateTemplateRequest } from '../../generated/types/DuplicateTemplateRequest.ts'
import type { Template } from '../../generated/types/Template.ts'
import type { TemplateSummary } from '../../generated/types/TemplateSummary.ts'
import type { ListTemplatesQueryParams } from '../../generated/types/templates/ListTemplates.ts'
import type { UpdateTemplateRequest } from '../../generated/types/UpdateTemplateRequest.ts'
import type { APIPromise } from '../core/api-promise.ts'
import type { RequestOptions } from '../core/requester.ts'
import { APIResource } from './resource.ts'

/** Filters: `status` takes several values, `purpose` one (`{ status: ['Active'], purpose: 'Transactional' }`). */
export type TemplateListParams = ListTemplatesQueryParams
export type TemplateListResponse = TemplateSummary[]
export type TemplateCreateParams = CreateTemplateRequest
export type TemplateUpdateParams = UpdateTemplateRequest
export type TemplateDuplicateParams = DuplicateTemplateRequest

export class Templates extends APIResource {
  /** Every template of the organization (a bare array, no paging). */
  list(query?: TemplateListParams, options?: RequestOptions): APIPromise<TemplateListResponse> {
    return this._requester.read('listTemplates', listTemplates, { query }, options)
  }

  retrieve(id: string, options?: RequestOptions): APIPromise<Template> {
    return this._requester.read('retrieveTemplate', retrieveTemplate, { path: { id } }, options)
  }

  create(body: TemplateCreateParams, options?: RequestOptions): APIPromise<Template> {
    return this._requester.write('createTemplate', createTemplate, { body }, options)
  }

  /** Changes the given fields and leaves the others as they are. */
  update(id: string, body: TemplateUpdateParams, options?: RequestOptions): APIPromise<Template> {
    return this._requester.write('updateTemplate', updateTemplate, { path: { id }, body }, options)
  }

  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this._requester.write('deleteTemplate', deleteTemplate, { path: { id } }, options)
  }

  /** A copy named `body.name`, or "Copy of …". */
  duplicate(id: string, body?: TemplateDuplicateParams, options?: RequestOptions): APIPromise<Template> {
    return this._requester.write('duplicateTemplate', duplicateTemplate, { path: { id }, body, optionalBody: true }, options)
  }

  archive(id: string, options?: RequestOptions): APIPromise<Template> {
    return this._requester.write('archiveTemplate', archiveTemplate, { path: { id } }, options)
  }

  unarchive(id: string, options?: RequestOptions): APIPromise<Template> {
    return this._requester.write('unarchiveTemplate', unarchiveTemplate, { path: { id } }, options)
  }
}
