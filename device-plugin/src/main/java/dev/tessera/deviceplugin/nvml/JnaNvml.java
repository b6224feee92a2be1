package dev.tessera.deviceplugin.nvml;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.tessera.deviceplugin.topology.NvLinks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link Nvml} over the native NVML library through JNA. {@link #open} loads and initialises it;
 * {@link #close} shuts it down. Thread-safe: NVML itself is, and the handle cache is synchronized.
 */
public final class JnaNvml implements Nvml {
  /** The library the NVIDIA driver installs; HAMi and the NVIDIA device plugin load this name. */
  public static final String LIBRARY = "libnvidia-ml.so.1";

  /** {@code sizeof(nvmlPciInfo_t)}: busIdLegacy[16], five unsigned ints, busId[32]. */
  static final int PCI_INFO_SIZE = 16 + 5 * 4 + 32;

  private static final int BUS_ID_OFFSET = 16 + 5 * 4;
  private static final int NAME_BUFFER = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
  private static final int UUID_BUFFER = 96; // NVML_DEVICE_UUID_V2_BUFFER_SIZE
  private static final int MAX_NVLINKS = 18; // NVML_NVLINK_MAX_LINKS
  private static final int NVLINK_DEVICE_TYPE_SWITCH = 2; // NVML_NVLINK_DEVICE_TYPE_SWITCH
  private static final int SUCCESS = 0;
  private static final int TIMEOUT = 10; // NVML_ERROR_TIMEOUT
  private static final long EVENT_XID_CRITICAL_ERROR = 0x8; // nvmlEventTypeXidCriticalError
  private static final int EVENT_DATA_SIZE = 8 + 8 + 8 + 4 + 4;
  private static final System.Logger LOG = System.getLogger(JnaNvml.class.getName());

  private final NvmlLibrary lib;
  private final Map<Integer, Pointer> handles = new HashMap<>();
  private boolean closed;

  private JnaNvml(NvmlLibrary lib) {
    this.lib = lib;
  }

  /** Loads {@link #LIBRARY} and initialises NVML. */
  public static JnaNvml open() {
    return open(LIBRARY);
  }

  /**
   * Loads {@code library} (a file name such as {@code libnvidia-ml.so.1} or a path) and calls
   * {@code nvmlInit_v2}.
   *
   * @throws NvmlUnavailableException when the library cannot be loaded or NVML cannot initialise;
   *     the message names the library and what to do
   */
  public static JnaNvml open(String library) {
    Objects.requireNonNull(library, "library");
    NvmlLibrary lib;
    try {
      lib = Native.load(library, NvmlLibrary.class);
    } catch (UnsatisfiedLinkError e) {
      throw new NvmlUnavailableException(
          "cannot load the NVIDIA management library "
              + library
              + " ("
              // JNA lists every place it tried, one per line: keep the message on one line.
              + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ")
              + "). Run the device plugin on a GPU node with the NVIDIA driver installed and the"
              + " library visible to the dynamic loader (in a container: the NVIDIA container"
              + " runtime mounts it; set LD_LIBRARY_PATH if it lives elsewhere), or use"
              + " --device-source file:PATH to describe GPUs in a file.",
          e);
    }
    int rc = lib.nvmlInit_v2();
    if (rc != SUCCESS) {
      throw new NvmlUnavailableException(
          "nvmlInit_v2 from "
              + library
              + " failed: NVML error "
              + rc
              + " ("
              + errorString(lib, rc)
              + "). Check that the NVIDIA kernel driver is loaded (nvidia-smi works) and that"
              + " the library matches the driver version.",
          null);
    }
    return new JnaNvml(lib);
  }

  @Override
  public int deviceCount() {
    var count = new IntByReference();
    check("nvmlDeviceGetCount_v2", lib.nvmlDeviceGetCount_v2(count));
    return count.getValue();
  }

  @Override
  public String uuid(int index) {
    byte[] buf = new byte[UUID_BUFFER];
    check("nvmlDeviceGetUUID", lib.nvmlDeviceGetUUID(handle(index), buf, buf.length));
    return cString(buf, 0, buf.length);
  }

  @Override
  public String name(int index) {
    byte[] buf = new byte[NAME_BUFFER];
    check("nvmlDeviceGetName", lib.nvmlDeviceGetName(handle(index), buf, buf.length));
    return cString(buf, 0, buf.length);
  }

  @Override
  public long memoryTotalBytes(int index) {
    long[] memory = new long[3];
    check("nvmlDeviceGetMemoryInfo", lib.nvmlDeviceGetMemoryInfo(handle(index), memory));
    return memory[0];
  }

  @Override
  public String pciBusId(int index) {
    byte[] pci = new byte[PCI_INFO_SIZE];
    check("nvmlDeviceGetPciInfo_v3", lib.nvmlDeviceGetPciInfo_v3(handle(index), pci));
    return busId(pci);
  }

  @Override
  public OptionalInt currentMigMode(int index) {
    var current = new IntByReference();
    var pending = new IntByReference();
    int rc = lib.nvmlDeviceGetMigMode(handle(index), current, pending);
    if (rc == NvmlException.NOT_SUPPORTED) {
      return OptionalInt.empty();
    }
    check("nvmlDeviceGetMigMode", rc);
    return OptionalInt.of(current.getValue());
  }

  @Override
  public int topologyCommonAncestor(int a, int b) {
    var level = new IntByReference();
    check(
        "nvmlDeviceGetTopologyCommonAncestor",
        lib.nvmlDeviceGetTopologyCommonAncestor(handle(a), handle(b), level));
    return level.getValue();
  }

  @Override
  public List<NvLinks.Port> activeNvLinks(int index) {
    Pointer device = handle(index);
    var out = new ArrayList<NvLinks.Port>();
    for (int link = 0; link < MAX_NVLINKS; link++) {
      var active = new IntByReference();
      int rc = lib.nvmlDeviceGetNvLinkState(device, link, active);
      // GPUs without NVLink, and links beyond the GPU's count, answer NOT_SUPPORTED or
      // INVALID_ARGUMENT: no link there.
      if (rc == NvmlException.NOT_SUPPORTED || rc == NvmlException.INVALID_ARGUMENT) {
        continue;
      }
      check("nvmlDeviceGetNvLinkState", rc);
      if (active.getValue() == 0) {
        continue;
      }
      byte[] pci = new byte[PCI_INFO_SIZE];
      check(
          "nvmlDeviceGetNvLinkRemotePciInfo_v2",
          lib.nvmlDeviceGetNvLinkRemotePciInfo_v2(device, link, pci));
      var type = new IntByReference();
      int trc = lib.nvmlDeviceGetNvLinkRemoteDeviceType(device, link, type);
      // Older drivers lack the remote type: such a link is taken as a direct GPU link.
      boolean toSwitch = trc == SUCCESS && type.getValue() == NVLINK_DEVICE_TYPE_SWITCH;
      out.add(new NvLinks.Port(busId(pci), toSwitch));
    }
    return List.copyOf(out);
  }

  @Override
  public XidEvents xidEvents() {
    var ref = new PointerByReference();
    check("nvmlEventSetCreate", lib.nvmlEventSetCreate(ref));
    Pointer set = ref.getValue();
    int count = deviceCount();
    var byHandle = new HashMap<Long, Integer>();
    for (int i = 0; i < count; i++) {
      Pointer device = handle(i);
      byHandle.put(Pointer.nativeValue(device), i);
      int rc = lib.nvmlDeviceRegisterEvents(device, EVENT_XID_CRITICAL_ERROR, set);
      if (rc == NvmlException.NOT_SUPPORTED) {
        LOG.log(
            System.Logger.Level.WARNING,
            "GPU index " + i + " does not report XID events; its health is not watched");
      } else if (rc != SUCCESS) {
        lib.nvmlEventSetFree(set);
        check("nvmlDeviceRegisterEvents", rc);
      }
    }
    return new XidEvents() {
      @Override
      public Optional<XidEvent> await(int timeoutMillis) {
        byte[] data = new byte[EVENT_DATA_SIZE];
        int rc = lib.nvmlEventSetWait_v2(set, data, timeoutMillis);
        if (rc == TIMEOUT) {
          return Optional.empty();
        }
        check("nvmlEventSetWait_v2", rc);
        var b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        long device = b.getLong(0);
        long type = b.getLong(8);
        if (type != EVENT_XID_CRITICAL_ERROR) {
          return Optional.empty();
        }
        return Optional.of(new XidEvent(byHandle.getOrDefault(device, -1), b.getLong(16)));
      }

      @Override
      public void close() {
        lib.nvmlEventSetFree(set);
      }
    };
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      handles.clear();
      lib.nvmlShutdown();
    }
  }

  private synchronized Pointer handle(int index) {
    if (closed) {
      throw new IllegalStateException("NVML is shut down");
    }
    Pointer p = handles.get(index);
    if (p == null) {
      var ref = new PointerByReference();
      check("nvmlDeviceGetHandleByIndex_v2", lib.nvmlDeviceGetHandleByIndex_v2(index, ref));
      p = ref.getValue();
      handles.put(index, p);
    }
    return p;
  }

  private void check(String function, int rc) {
    if (rc != SUCCESS) {
      throw new NvmlException(function, rc, errorString(lib, rc));
    }
  }

  private static String errorString(NvmlLibrary lib, int rc) {
    try {
      String s = lib.nvmlErrorString(rc);
      return s == null ? "unknown error" : s;
    } catch (UnsatisfiedLinkError e) {
      return "unknown error";
    }
  }

  static String busId(byte[] pci) {
    return cString(pci, BUS_ID_OFFSET, pci.length);
  }

  static String cString(byte[] buf, int from, int to) {
    int end = from;
    while (end < to && buf[end] != 0) {
      end++;
    }
    return new String(buf, from, end - from, StandardCharsets.US_ASCII);
  }
}
