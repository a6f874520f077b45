import { z } from 'zod';

export const ticketSources = ['email', 'web', 'api'] as const;
export const ticketSourceSchema = z.enum(ticketSources);
export type TicketSource = z.infer<typeof ticketSourceSchema>;

export const ticketStatuses = ['open', 'pending', 'resolved', 'closed'] as const;
export const ticketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

/** The helpdesk's three importance levels; email headers map onto these. */
export const importances = ['high', 'medium', 'low'] as const;
export const importanceSchema = z.enum(importances);
export type Importance = z.infer<typeof importanceSchema>;

export const messageDirections = ['inbound', 'outbound'] as const;
export const messageDirectionSchema = z.enum(messageDirections);
export type MessageDirection = z.infer<typeof messageDirectionSchema>;

export const userRoles = ['admin', 'agent'] as const;
export const userRoleSchema = z.enum(userRoles);
export type UserRole = z.infer<typeof userRoleSchema>;

/** A value stored in a ticket's custom field, typed by the template field. */
export type FieldValue = string | number | boolean | string[] | null;
export const fieldValueSchema: z.ZodType<FieldValue> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.null(),
]);
