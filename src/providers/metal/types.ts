/** The parts of the Equinix Metal API objects metalboot reads (spec: components/schemas/Device.yaml etc.). */

export interface MetalDevice {
  readonly id: string;
  readonly hostname?: string;
  readonly state?: string;
  readonly always_pxe?: boolean;
  readonly ipxe_script_url?: string;
  readonly userdata?: string;
  readonly sos?: string;
  readonly updated_at?: string;
  readonly operating_system?: { readonly slug?: string; readonly name?: string };
  readonly plan?: { readonly slug?: string; readonly name?: string };
  readonly metro?: { readonly code?: string; readonly name?: string };
  readonly facility?: { readonly code?: string };
  readonly network_ports?: readonly { readonly type?: string; readonly name?: string; readonly data?: { readonly mac?: string } }[];
  readonly tags?: readonly string[];
}

export interface MetalDeviceList {
  readonly devices?: readonly MetalDevice[];
  readonly meta?: { readonly next?: { readonly href: string }; readonly total?: number; readonly last_page?: number };
}

/** Body of PUT /devices/{id} (DeviceUpdateInput) — only the fields metalboot changes. */
export interface MetalDeviceUpdate {
  always_pxe?: boolean;
  ipxe_script_url?: string;
  userdata?: string;
}

/** Body of POST /devices/{id}/actions (DeviceActionInput). */
export interface MetalDeviceAction {
  type: 'power_on' | 'power_off' | 'reboot' | 'rescue' | 'reinstall';
  operating_system?: string;
  ipxe_script_url?: string;
  deprovision_fast?: boolean;
  preserve_data?: boolean;
}

/** Body of POST /projects/{id}/devices in a metro (DeviceCreateInMetroInput). */
export interface MetalDeviceCreate {
  metro: string;
  plan: string;
  operating_system: string;
  hostname?: string;
  ipxe_script_url?: string;
  always_pxe?: boolean;
  userdata?: string;
  billing_cycle?: 'hourly' | 'daily' | 'monthly' | 'yearly';
  tags?: string[];
}

export interface DeviceListFilter {
  readonly hostname?: string;
  readonly macAddress?: string;
  readonly tag?: string;
}
