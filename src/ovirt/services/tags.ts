/** Tags (`/tags`): create, rename, delete; assignment lives in {@link VmTagsService}. */
import { tagSchema, type Tag } from '../models/misc';
import type { Spec } from '../models/spec';
import type { TagId } from '../ids';
import type { RequestOptions } from '../request-options';
import { Api, Collection } from './base';

/** Body of `POST /tags` (parent defaults to the root tag). */
export type TagCreateSpec = Spec<Tag> & { name: string };

/** The `/tags` collection (tag names are unique engine-wide). */
export class TagsService extends Collection<typeof tagSchema, TagId> {
  constructor(api: Api) {
    super(api, { path: '/tags', plural: 'tags', element: 'tag', schema: tagSchema, searchable: false });
  }

  /** Creates a tag. */
  create(spec: TagCreateSpec, opts?: RequestOptions): Promise<Tag> {
    return this.api.create(this.shape, spec, opts, undefined, () => this.findByName(spec.name, opts));
  }

  /** `PUT /tags/{id}`. */
  update(id: TagId, spec: Spec<Tag>, opts?: RequestOptions): Promise<Tag> {
    return this.api.update(this.shape, `/tags/${encodeURIComponent(id)}`, spec, opts);
  }

  /** Deletes a tag. */
  remove(id: TagId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(`/tags/${encodeURIComponent(id)}`, opts);
  }
}
