/**
 * The mailbox being edited in the wizard: a form-shaped copy of its settings,
 * the secrets typed in this visit (write-only: never read back), the last Test
 * Connection report and the folders it found. The store turns the form into
 * the API's request bodies and keeps the server's per-field errors keyed by
 * their `path`; it decides nothing the server decides (validity, completeness).
 */
import {
  type AttachmentMode,
  type AuthType,
  type CustomFieldMapping,
  type EmailProperty,
  type Importance,
  type MailClass,
  type OAuthFlow,
  type PostAction,
  type SkipWindow,
  type TlsMode,
  type TypeRule,
} from '@mailroom/domain';
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { ApiError } from '../api/api-error';

import {
  useMailboxesStore,
  type ConnectionTestReport,
  type CreateMailboxBody,
  type FolderInfo,
  type Mailbox,
  type UpdateMailboxBody,
} from './mailboxes';

export const defaultPortFor = (tls: TlsMode): number => (tls === 'implicit' ? 993 : 143);
export const DEFAULT_SCOPE = 'https://outlook.office365.com/.default';
const MB = 1024 * 1024;

type SecretName = 'password' | 'clientSecret' | 'refreshToken';
type ExcludableClass = Exclude<MailClass, 'normal'>;

export interface DraftForm {
  name: string;
  connection: {
    host: string;
    port: number;
    tls: TlsMode;
    username: string;
    replyTo: string;
    authType: AuthType;
    trustSelfSigned: boolean;
    trustedCertificatePem: string;
    connectionTimeoutMs: number;
  };
  oauth: {
    flow: OAuthFlow;
    tenantId: string;
    clientId: string;
    redirectUrl: string;
    scope: string;
    tokenEndpoint: string;
  };
  policy: {
    maxTries: number;
    coolOffMinutes: number;
    skipWindows: SkipWindow[];
    timeZone: string;
    syncStartDate: string;
    pollIntervalSeconds: number;
  };
  reading: {
    read: string[];
    postAction: PostAction;
    successFolder: string;
    failFolder: string;
    exclusionFolder: string;
    allowedSenderDomains: string[];
    excludeClasses: ExcludableClass[];
    keywords: string[];
    senderAddresses: string[];
    aliases: string[];
    maxMessageMb: number;
    dedupeAcrossMailboxes: boolean;
  };
  mapping: {
    templateId: string;
    allowedTypes: string[];
    defaultTypeId: string;
    rules: TypeRule[];
    defaultOfferId: string;
    customFields: CustomFieldMapping[];
    propertyMappings: { property: EmailProperty; fieldKey: string }[];
    optionalMappings: { property: EmailProperty; fieldKey: string }[];
    attachments: AttachmentMode;
    bodyFormat: 'text' | 'html';
    attachOriginalEml: boolean;
    defaultImportance: Importance;
  };
}

const emptyForm = (): DraftForm => ({
  name: '',
  connection: {
    host: '',
    port: 993,
    tls: 'implicit',
    username: '',
    replyTo: '',
    authType: 'password',
    trustSelfSigned: false,
    trustedCertificatePem: '',
    connectionTimeoutMs: 15000,
  },
  oauth: {
    flow: 'authorization_code',
    tenantId: '',
    clientId: '',
    redirectUrl: '',
    scope: DEFAULT_SCOPE,
    tokenEndpoint: '',
  },
  policy: {
    maxTries: 5,
    coolOffMinutes: 15,
    skipWindows: [],
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    syncStartDate: '',
    pollIntervalSeconds: 60,
  },
  reading: {
    read: ['INBOX'],
    postAction: 'mark_seen',
    successFolder: '',
    failFolder: '',
    exclusionFolder: '',
    allowedSenderDomains: [],
    excludeClasses: ['auto_reply', 'bounce', 'complaint'],
    keywords: [],
    senderAddresses: [],
    aliases: [],
    maxMessageMb: 25,
    dedupeAcrossMailboxes: false,
  },
  mapping: {
    templateId: '',
    allowedTypes: [],
    defaultTypeId: '',
    rules: [],
    defaultOfferId: '',
    customFields: [],
    propertyMappings: [],
    optionalMappings: [],
    attachments: 'non_inline',
    bodyFormat: 'html',
    attachOriginalEml: false,
    defaultImportance: 'medium',
  },
});

const formFrom = (mailbox: Mailbox): DraftForm => {
  const { settings } = mailbox;
  const base = emptyForm();
  const folders = settings.reading.folders;
  return {
    name: settings.name,
    connection: {
      host: settings.connection.host,
      port: settings.connection.port,
      tls: settings.connection.tls,
      username: settings.connection.username,
      replyTo: settings.connection.replyTo,
      authType: settings.connection.authType,
      trustSelfSigned: settings.connection.trustSelfSigned,
      trustedCertificatePem: settings.connection.trustedCertificatePem ?? '',
      connectionTimeoutMs: settings.connection.connectionTimeoutMs,
    },
    oauth: settings.oauth
      ? {
          flow: settings.oauth.flow,
          tenantId: settings.oauth.tenantId,
          clientId: settings.oauth.clientId,
          redirectUrl: settings.oauth.redirectUrl ?? '',
          scope: settings.oauth.scope,
          tokenEndpoint: settings.oauth.tokenEndpoint ?? '',
        }
      : base.oauth,
    policy: {
      maxTries: settings.policy.maxTries,
      coolOffMinutes: settings.policy.coolOffMinutes,
      skipWindows: settings.policy.skipWindows.map((window) => ({ ...window })),
      timeZone: settings.policy.timeZone,
      syncStartDate: settings.policy.syncStartDate ?? '',
      pollIntervalSeconds: settings.policy.pollIntervalSeconds,
    },
    reading: {
      read: [...folders.read],
      postAction: folders.postAction,
      successFolder: folders.successFolder ?? '',
      failFolder: folders.failFolder ?? '',
      exclusionFolder: folders.exclusionFolder ?? '',
      allowedSenderDomains: [...settings.reading.allowedSenderDomains],
      excludeClasses: [...settings.reading.autoReply.excludeClasses],
      keywords: [...settings.reading.autoReply.keywords],
      senderAddresses: [...settings.reading.autoReply.senderAddresses],
      aliases: [...settings.reading.aliases],
      maxMessageMb: Math.round((settings.reading.maxMessageBytes / MB) * 100) / 100,
      dedupeAcrossMailboxes: settings.reading.dedupeAcrossMailboxes,
    },
    mapping: settings.mapping
      ? {
          templateId: settings.mapping.templateId,
          allowedTypes: [...settings.mapping.ticketTypes.allowed],
          defaultTypeId: settings.mapping.ticketTypes.defaultTypeId,
          rules: settings.mapping.ticketTypes.rules.map((rule) => ({ ...rule })),
          defaultOfferId: settings.mapping.defaultOfferId ?? '',
          customFields: settings.mapping.customFields.map((field) => ({
            ...field,
            restrictedToRoles: [...field.restrictedToRoles],
          })),
          propertyMappings: settings.mapping.propertyMappings.map((entry) => ({ ...entry })),
          optionalMappings: settings.mapping.optionalMappings.map((entry) => ({ ...entry })),
          attachments: settings.mapping.attachments,
          bodyFormat: settings.mapping.bodyFormat,
          attachOriginalEml: settings.mapping.attachOriginalEml,
          defaultImportance: settings.mapping.defaultImportance,
        }
      : base.mapping,
  };
};

const optional = (value: string): string | undefined =>
  value.trim() === '' ? undefined : value.trim();

type Settings = CreateMailboxBody['settings'];

export const useMailboxDraftStore = defineStore('mailboxDraft', () => {
  const mailboxes = useMailboxesStore();

  const mailboxId = ref<string | null>(null);
  const version = ref<number | null>(null);
  const form = reactive<DraftForm>(emptyForm());
  const secrets = reactive<Record<SecretName, string>>({
    password: '',
    clientSecret: '',
    refreshToken: '',
  });
  /** Stored secrets the admin asked to remove on the next save. */
  const forget = reactive<Record<SecretName, boolean>>({
    password: false,
    clientSecret: false,
    refreshToken: false,
  });
  const fieldErrors = ref<Record<string, string>>({});
  const testReport = ref<ConnectionTestReport | null>(null);
  const folders = ref<FolderInfo[]>([]);

  const mailbox = computed(() =>
    mailboxId.value ? (mailboxes.byId.get(mailboxId.value) ?? null) : null,
  );
  const isNew = computed(() => mailboxId.value === null);
  const secretsPresent = computed(
    () =>
      mailbox.value?.secretsPresent ?? {
        password: false,
        clientSecret: false,
        refreshToken: false,
      },
  );

  /** Folder choices: what the server listed, plus any saved choice it did not list. */
  const folderOptions = computed(() => {
    const known = new Map(folders.value.map((folder) => [folder.path, folder]));
    const chosen = [
      ...form.reading.read,
      form.reading.successFolder,
      form.reading.failFolder,
      form.reading.exclusionFolder,
    ].filter((path) => path && !known.has(path));
    return [
      ...folders.value.filter((folder) => folder.selectable !== false),
      ...chosen.map((path) => ({ path, name: path, specialUse: null, messages: null })),
    ];
  });

  /** The server's message for a field; paths may be rooted at the body or at `settings`. */
  const errorAt = (path: string): string | undefined =>
    fieldErrors.value[`settings.${path}`] ?? fieldErrors.value[path];

  /** Group objects keep their identity, so sections may hold `form.mapping` etc. */
  function replaceForm(next: DraftForm) {
    form.name = next.name;
    Object.assign(form.connection, next.connection);
    Object.assign(form.oauth, next.oauth);
    Object.assign(form.policy, next.policy);
    Object.assign(form.reading, next.reading);
    Object.assign(form.mapping, next.mapping);
  }

  function clearTransient() {
    secrets.password = secrets.clientSecret = secrets.refreshToken = '';
    forget.password = forget.clientSecret = forget.refreshToken = false;
    fieldErrors.value = {};
  }

  function startNew() {
    mailboxId.value = null;
    version.value = null;
    replaceForm(emptyForm());
    clearTransient();
    testReport.value = null;
    folders.value = [];
  }

  async function open(id: string) {
    const loaded = await mailboxes.load(id);
    if (mailboxId.value !== id) {
      testReport.value = null;
      folders.value = [];
    }
    mailboxId.value = id;
    version.value = loaded.settingsVersion;
    replaceForm(formFrom(loaded));
    clearTransient();
  }

  function setTls(tls: TlsMode) {
    const wasDefault = form.connection.port === defaultPortFor(form.connection.tls);
    form.connection.tls = tls;
    if (wasDefault || !form.connection.port) form.connection.port = defaultPortFor(tls);
  }

  function connectionSettings(): Settings['connection'] {
    const c = form.connection;
    return {
      protocol: 'imap',
      host: c.host.trim(),
      port: Number(c.port),
      tls: c.tls,
      username: c.username.trim(),
      replyTo: c.replyTo.trim(),
      authType: c.authType,
      trustSelfSigned: c.trustSelfSigned,
      ...(optional(c.trustedCertificatePem)
        ? { trustedCertificatePem: c.trustedCertificatePem.trim() }
        : {}),
      connectionTimeoutMs: Number(c.connectionTimeoutMs),
    };
  }

  function oauthSettings(): Settings['oauth'] {
    if (form.connection.authType !== 'oauth2') return undefined;
    const o = form.oauth;
    return {
      flow: o.flow,
      tenantId: o.tenantId.trim(),
      clientId: o.clientId.trim(),
      scope: o.scope.trim() || DEFAULT_SCOPE,
      ...(optional(o.redirectUrl) ? { redirectUrl: o.redirectUrl.trim() } : {}),
      ...(optional(o.tokenEndpoint) ? { tokenEndpoint: o.tokenEndpoint.trim() } : {}),
    };
  }

  function mappingSettings(): Settings['mapping'] {
    const m = form.mapping;
    if (!m.templateId) return undefined;
    return {
      templateId: m.templateId,
      ticketTypes: { allowed: [...m.allowedTypes], defaultTypeId: m.defaultTypeId, rules: m.rules },
      ...(m.defaultOfferId ? { defaultOfferId: m.defaultOfferId } : {}),
      customFields: m.customFields,
      propertyMappings: m.propertyMappings.filter((entry) => entry.fieldKey),
      optionalMappings: m.optionalMappings.filter((entry) => entry.fieldKey),
      attachments: m.attachments,
      bodyFormat: m.bodyFormat,
      attachOriginalEml: m.attachOriginalEml,
      defaultImportance: m.defaultImportance,
    };
  }

  function settings(): Settings {
    const p = form.policy;
    const r = form.reading;
    return {
      name: form.name.trim(),
      connection: connectionSettings(),
      ...(oauthSettings() ? { oauth: oauthSettings() } : {}),
      policy: {
        maxTries: Number(p.maxTries),
        coolOffMinutes: Number(p.coolOffMinutes),
        skipWindows: p.skipWindows,
        timeZone: p.timeZone.trim(),
        ...(optional(p.syncStartDate) ? { syncStartDate: p.syncStartDate } : {}),
        pollIntervalSeconds: Number(p.pollIntervalSeconds),
      },
      reading: {
        folders: {
          read: r.read.filter(Boolean),
          postAction: r.postAction,
          ...(optional(r.successFolder) ? { successFolder: r.successFolder } : {}),
          ...(optional(r.failFolder) ? { failFolder: r.failFolder } : {}),
          ...(optional(r.exclusionFolder) ? { exclusionFolder: r.exclusionFolder } : {}),
        },
        allowedSenderDomains: r.allowedSenderDomains,
        autoReply: {
          excludeClasses: r.excludeClasses,
          keywords: r.keywords,
          senderAddresses: r.senderAddresses,
        },
        aliases: r.aliases,
        maxMessageBytes: Math.round(Number(r.maxMessageMb) * MB),
        dedupeAcrossMailboxes: r.dedupeAcrossMailboxes,
      },
      ...(mappingSettings() ? { mapping: mappingSettings() } : {}),
    };
  }

  /** Only what was typed this visit: a secret left empty keeps the stored one. */
  function typedSecrets(): Partial<Record<SecretName, string>> {
    return Object.fromEntries(
      (Object.keys(secrets) as SecretName[])
        .filter((name) => secrets[name] !== '')
        .map((name) => [name, secrets[name]]),
    );
  }

  function captureErrors(error: unknown) {
    fieldErrors.value =
      error instanceof ApiError
        ? Object.fromEntries(error.fieldErrors.map((issue) => [issue.path, issue.message]))
        : {};
  }

  /** Creates or saves; throws ApiError after recording the per-field errors. */
  async function save(): Promise<Mailbox> {
    fieldErrors.value = {};
    try {
      let saved: Mailbox;
      if (mailboxId.value === null) {
        const typed = typedSecrets();
        saved = await mailboxes.create({
          settings: settings(),
          ...(Object.keys(typed).length ? { secrets: typed } : {}),
        });
      } else {
        const all = settings();
        const secretChanges: NonNullable<UpdateMailboxBody['secrets']> = { ...typedSecrets() };
        for (const name of Object.keys(forget) as SecretName[]) {
          if (forget[name] && !secrets[name]) secretChanges[name] = null;
        }
        saved = await mailboxes.update(mailboxId.value, {
          settings: {
            ...all,
            oauth: all.oauth ?? null,
            mapping: all.mapping ?? null,
          },
          ...(Object.keys(secretChanges).length ? { secrets: secretChanges } : {}),
          ...(version.value !== null ? { expectedVersion: version.value } : {}),
        });
      }
      mailboxId.value = saved.id;
      version.value = saved.settingsVersion;
      clearTransient();
      return saved;
    } catch (error) {
      captureErrors(error);
      throw error;
    }
  }

  /**
   * Runs Test Connection on what is on screen, nothing is stored. For a saved
   * mailbox the server fills in the stored secrets that were not retyped (and
   * its Microsoft sign-in); a new one is tested with what was typed.
   */
  async function testConnection(): Promise<ConnectionTestReport> {
    testReport.value = null;
    fieldErrors.value = {};
    const input = {
      connection: connectionSettings(),
      ...(oauthSettings() ? { oauth: oauthSettings() } : {}),
      secrets: typedSecrets(),
    };
    try {
      const report = mailboxId.value
        ? await mailboxes.testSaved(mailboxId.value, input)
        : await mailboxes.testUnsaved(input);
      testReport.value = report;
      if (report.folders.length) folders.value = report.folders;
      return report;
    } catch (error) {
      captureErrors(error);
      throw error;
    }
  }

  async function loadFolders() {
    if (!mailboxId.value) return;
    try {
      folders.value = await mailboxes.folders(mailboxId.value);
    } catch {
      // The mailbox may not connect yet; Test Connection says why.
    }
  }

  async function setActive(active: boolean): Promise<Mailbox> {
    if (!mailboxId.value) throw new Error('save the mailbox first');
    fieldErrors.value = {};
    try {
      const changed = await mailboxes.setActive(mailboxId.value, active);
      // A status change bumps settingsVersion; the next save must not look like a conflict.
      version.value = changed.settingsVersion;
      return changed;
    } catch (error) {
      captureErrors(error);
      throw error;
    }
  }

  return {
    mailboxId,
    version,
    form,
    secrets,
    forget,
    fieldErrors,
    testReport,
    folders,
    mailbox,
    isNew,
    secretsPresent,
    folderOptions,
    errorAt,
    startNew,
    open,
    setTls,
    settings,
    save,
    testConnection,
    loadFolders,
    setActive,
  };
});
