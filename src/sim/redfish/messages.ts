/**
 * The messages the simulator answers with, shaped as a Redfish service sends them: an `error`
 * object with `code`, `message` and `@Message.ExtendedInfo` (Message v1_3_0). Base messages come
 * from the mockup's Base.1.5.0 registry text; the two precondition messages are from later Base
 * registries; the POST and power-state refusals use the ids HPE iLO sends (iLO.2.x), because those
 * are the ones the clients this simulator tests against were written for.
 */

export interface ExtendedInfo {
  readonly MessageId: string;
  readonly Message: string;
  readonly MessageArgs: readonly string[];
  readonly Severity: 'OK' | 'Warning' | 'Critical';
  readonly Resolution: string;
  readonly RelatedProperties?: readonly string[];
}

interface Template {
  readonly id: string;
  readonly text: string;
  readonly severity: ExtendedInfo['Severity'];
  readonly resolution: string;
}

const TEMPLATES = {
  GeneralError: { id: 'Base.1.5.0.GeneralError', text: 'A general error has occurred. See Resolution for information on how to resolve the error.', severity: 'Critical', resolution: 'None.' },
  InternalError: { id: 'Base.1.5.0.InternalError', text: 'The request failed due to an internal service error.  The service is still operational.', severity: 'Critical', resolution: 'Resubmit the request.  If the problem persists, consider resetting the service.' },
  MalformedJSON: { id: 'Base.1.5.0.MalformedJSON', text: 'The request body submitted was malformed JSON and could not be parsed by the receiving service.', severity: 'Critical', resolution: 'Ensure that the request body is valid JSON and resubmit the request.' },
  PropertyUnknown: { id: 'Base.1.5.0.PropertyUnknown', text: 'The property %1 is not in the list of valid properties for the resource.', severity: 'Warning', resolution: 'Remove the unknown property from the request body and resubmit the request if the operation failed.' },
  PropertyValueTypeError: { id: 'Base.1.5.0.PropertyValueTypeError', text: 'The value %1 for the property %2 is of a different type than the property can accept.', severity: 'Warning', resolution: 'Correct the value for the property in the request body and resubmit the request if the operation failed.' },
  PropertyValueFormatError: { id: 'Base.1.5.0.PropertyValueFormatError', text: 'The value %1 for the property %2 is of a different format than the property can accept.', severity: 'Warning', resolution: 'Correct the value for the property in the request body and resubmit the request if the operation failed.' },
  PropertyValueNotInList: { id: 'Base.1.5.0.PropertyValueNotInList', text: 'The value %1 for the property %2 is not in the list of acceptable values.', severity: 'Warning', resolution: 'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.' },
  PropertyNotWritable: { id: 'Base.1.5.0.PropertyNotWritable', text: 'The property %1 is a read only property and cannot be assigned a value.', severity: 'Warning', resolution: 'Remove the property from the request body and resubmit the request if the operation failed.' },
  PropertyMissing: { id: 'Base.1.5.0.PropertyMissing', text: 'The property %1 is a required property and must be included in the request.', severity: 'Warning', resolution: 'Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.' },
  ActionParameterNotSupported: { id: 'Base.1.5.0.ActionParameterNotSupported', text: 'The parameter %1 for the action %2 is not supported on the target resource.', severity: 'Warning', resolution: 'Remove the parameter supplied and resubmit the request if the operation failed.' },
  ActionParameterUnknown: { id: 'Base.1.5.0.ActionParameterUnknown', text: 'The action %1 was submitted with the invalid parameter %2.', severity: 'Warning', resolution: 'Correct the invalid parameter and resubmit the request if the operation failed.' },
  ResourceNotFound: { id: 'Base.1.5.0.ResourceMissingAtURI', text: 'The resource at the URI %1 was not found.', severity: 'Critical', resolution: 'Place a valid resource at the URI or correct the URI and resubmit the request.' },
  ResourceInUse: { id: 'Base.1.5.0.ResourceInUse', text: 'The change to the requested resource failed because the resource is in use or in transition.', severity: 'Warning', resolution: 'Remove the condition and resubmit the request if the operation failed.' },
  NoValidSession: { id: 'Base.1.5.0.NoValidSession', text: 'There is no valid session established with the implementation.', severity: 'Critical', resolution: 'Establish a session before attempting any operations.' },
  ServiceTemporarilyUnavailable: { id: 'Base.1.5.0.ServiceTemporarilyUnavailable', text: 'The service is temporarily unavailable.  Retry in %1 seconds.', severity: 'Critical', resolution: 'Wait for the indicated retry duration and retry the operation.' },
  ActionNotSupported: { id: 'Base.1.5.0.ActionNotSupported', text: 'The action %1 is not supported by the resource.', severity: 'Critical', resolution: 'The action supplied cannot be resubmitted to the implementation.  Perhaps the action was invalid, the wrong resource was the target or the implementation documentation may be of assistance.' },
  PreconditionFailed: { id: 'Base.1.8.1.PreconditionFailed', text: 'The ETag supplied did not match the ETag required to change this resource.', severity: 'Critical', resolution: 'Try the operation again using the appropriate ETag.' },
  PreconditionRequired: { id: 'Base.1.8.1.PreconditionRequired', text: 'A precondition header or annotation is required to change this resource.', severity: 'Critical', resolution: 'Try the operation again using an If-Match or If-None-Match header and appropriate ETag.' },
  UnableToModifyDuringSystemPOST: { id: 'iLO.2.14.UnableToModifyDuringSystemPOST', text: 'The value for property %1 cannot be changed while the computer system BIOS is in POST.', severity: 'Warning', resolution: 'After the computer system is either fully booted or powered off, retry the operation.' },
  InvalidOperationForSystemState: { id: 'iLO.2.14.InvalidOperationForSystemState', text: 'The operation was not successful due to the current power state (for example, attempting to turn the power off when it is already off).', severity: 'Warning', resolution: 'Verify that the system is in the correct power state, and then retry the operation.' },
} as const satisfies Record<string, Template>;

export type MessageKey = keyof typeof TEMPLATES;

export function messageOf(key: MessageKey, args: readonly string[] = [], related?: readonly string[]): ExtendedInfo {
  const template: Template = TEMPLATES[key];
  const text = template.text.replace(/%(\d)/g, (_match, n: string) => args[Number(n) - 1] ?? '');
  return {
    MessageId: template.id,
    Message: text,
    MessageArgs: [...args],
    Severity: template.severity,
    Resolution: template.resolution,
    ...(related === undefined ? {} : { RelatedProperties: [...related] }),
  };
}

/** The body of an error answer: one `error` object holding every message. */
export function errorBody(messages: readonly ExtendedInfo[]): { error: { code: string; message: string; '@Message.ExtendedInfo': readonly ExtendedInfo[] } } {
  const first = messages[0] ?? messageOf('GeneralError');
  return {
    error: {
      code: messages.length === 1 ? first.MessageId : TEMPLATES.GeneralError.id,
      message: messages.length === 1 ? first.Message : 'A general error has occurred. See ExtendedInfo for more information.',
      '@Message.ExtendedInfo': messages.length === 0 ? [first] : messages,
    },
  };
}
