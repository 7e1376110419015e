#ifndef PA_LINUX_RINGPCM_H
#define PA_LINUX_RINGPCM_H
/*
 * SPDX-License-Identifier: MIT
 *
 * RingPCM-specific PortAudio API extension (the counterpart of
 * pa_linux_alsa.h for the "RingPCM" host API).
 *
 * RingPCM streams run the sound card's DMA engine directly over a ring buffer
 * in the application's memory: the host API allocates that ring when the
 * stream is opened, the driver maps it once, and PortAudio's buffer processor
 * converts straight from / into it.  This header lets an application choose
 * where the ring lives and inspect what the driver made of it.
 *
 * Everything here is optional: an unmodified PortAudio application gets an
 * anonymous ring and the defaults below.  The same choices are available to
 * unmodified applications through the environment:
 *
 *   RINGPCM_PA_RING=anon|memfd|huge   ring placement (default anon)
 *   RINGPCM_PA_DMA=auto|map|copy      how the driver reaches the ring
 *   RINGPCM_PA_PERIODS=N              periods per ring (default: from latency)
 *   RINGPCM_PA_RT=0|1|PRIORITY        SCHED_FIFO callback thread (default off)
 *   RINGPCM_PA_DISABLE=1              hide the host API (compare with ALSA)
 *   RINGPCM_DEBUG=1                   diagnostics on stderr
 *
 * Thread safety: the stream functions below may be called from any thread
 * except the stream callback; PaRingPcm_InitializeStreamInfo is pure.
 */

#include "portaudio.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * PortAudio 19.6 has no type id for this host API; it registers as
 * paInDevelopment, the id reserved for host APIs outside PortAudio's tree.
 * Prefer PaRingPcm_GetHostApiIndex() to find it.
 */
#define paRingPcm paInDevelopment
#define PA_RINGPCM_HOST_API_NAME "RingPCM"

/* Where the ring buffer the card DMAs into lives. */
typedef enum PaRingPcmRingPlacement
{
    paRingPcmRingDefault = 0,     /* RINGPCM_PA_RING, else anonymous */
    paRingPcmRingAnonymous = 1,   /* page-aligned anonymous memory */
    paRingPcmRingMemfd = 2,       /* a memfd, shareable with another process */
    paRingPcmRingHugePages = 3    /* MAP_HUGETLB: few DMA segments (needs reserved huge pages) */
} PaRingPcmRingPlacement;

/* How the driver reaches the ring (see kernel/uapi/ringpcm.h). */
typedef enum PaRingPcmDmaMode
{
    paRingPcmDmaDefault = 0,      /* RINGPCM_PA_DMA, else the driver's choice */
    paRingPcmDmaMapOnce = 1,      /* zero copy: mapped once, synchronised per period */
    paRingPcmDmaCopy = 2          /* classic: through a driver-owned buffer (for comparison) */
} PaRingPcmDmaMode;

/*
 * Pass as PaStreamParameters.hostApiSpecificStreamInfo (input and/or output;
 * in a full-duplex stream each direction uses its own).  Initialise with
 * PaRingPcm_InitializeStreamInfo(), then change what you need.
 */
typedef struct PaRingPcmStreamInfo
{
    unsigned long size;                 /* sizeof(PaRingPcmStreamInfo) */
    PaHostApiTypeId hostApiType;        /* paRingPcm */
    unsigned long version;              /* 1 */

    PaRingPcmRingPlacement ringPlacement;
    PaRingPcmDmaMode dmaMode;
    int numPeriods;                     /* periods in the ring; 0: from the suggested latency */
    unsigned long framesPerPeriod;      /* device period; 0: from latency and framesPerBuffer */
} PaRingPcmStreamInfo;

/* Fill *info with the defaults (size, type, version set; everything else 0). */
void PaRingPcm_InitializeStreamInfo( PaRingPcmStreamInfo *info );

/* The host API's index, or paHostApiNotFound when no RingPCM device exists. */
PaHostApiIndex PaRingPcm_GetHostApiIndex( void );

/*
 * Run the callback thread with SCHED_FIFO (takes effect at the next
 * Pa_StartStream; falls back to normal scheduling when not permitted).
 */
PaError PaRingPcm_EnableRealtimeScheduling( PaStream *stream, int enable );

/* What one direction of an open stream got from the driver. */
typedef struct PaRingPcmRingInfo
{
    unsigned long size;                 /* set to sizeof(PaRingPcmRingInfo) before the call */
    int card;
    int device;
    void *ring;                         /* the ring in this process's memory */
    unsigned long ringBytes;
    PaRingPcmRingPlacement placement;   /* never paRingPcmRingDefault */
    PaRingPcmDmaMode dmaMode;           /* never paRingPcmDmaDefault */
    unsigned int dmaSegments;           /* DMA segments the ring was mapped as */
    unsigned int bdlEntries;            /* BDL entries programmed */
    unsigned long framesPerPeriod;
    unsigned long periods;
    int hostChannels;                   /* channels on the device (>= the stream's) */
    PaSampleFormat hostSampleFormat;    /* paInt16 or paInt32, interleaved */
    unsigned long xruns;                /* driver's xrun counter for this direction */
} PaRingPcmRingInfo;

/* input != 0 for the input direction. paBadIODeviceCombination when absent. */
PaError PaRingPcm_GetStreamRingInfo( PaStream *stream, int input, PaRingPcmRingInfo *info );

#ifdef __cplusplus
}
#endif

#endif /* PA_LINUX_RINGPCM_H */
