package dev.tessera.deviceplugin.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The subset of NVML's C API ({@code nvml.h}) the plugin calls, bound by JNA interface mapping.
 * Every function returns an {@code nvmlReturn_t} (0 = success). Structs are passed as byte or long
 * arrays of the C layout, which keeps the mapping free of JNA {@code Structure} subclasses.
 */
interface NvmlLibrary extends Library {
  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlDeviceGetCount_v2(IntByReference count);

  int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

  int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

  int nvmlDeviceGetName(Pointer device, byte[] name, int length);

  /** {@code nvmlMemory_t}: unsigned long long total, free, used (bytes). */
  int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

  /** {@code nvmlPciInfo_t} in its v3 layout, {@link JnaNvml#PCI_INFO_SIZE} bytes. */
  int nvmlDeviceGetPciInfo_v3(Pointer device, byte[] pci);

  int nvmlDeviceGetMigMode(Pointer device, IntByReference current, IntByReference pending);

  int nvmlDeviceGetTopologyCommonAncestor(Pointer a, Pointer b, IntByReference level);

  int nvmlDeviceGetNvLinkState(Pointer device, int link, IntByReference isActive);

  int nvmlDeviceGetNvLinkRemotePciInfo_v2(Pointer device, int link, byte[] pci);

  int nvmlDeviceGetNvLinkRemoteDeviceType(Pointer device, int link, IntByReference type);

  int nvmlEventSetCreate(PointerByReference set);

  int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

  /** {@code nvmlEventData_t}: device handle, eventType, eventData (u64 each), two u32 ids. */
  int nvmlEventSetWait_v2(Pointer set, byte[] data, int timeoutms);

  int nvmlEventSetFree(Pointer set);
}
